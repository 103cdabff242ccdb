#!/usr/bin/env python3
"""score.py - precision and recall of dupfind runs against the exact reference.

    python3 bench/score.py --ref REF.tsv --manifest DIR/manifest.tsv \\
        --run NAME OUT.jsonl SECONDS [--run ...] [--threshold 0.5] \\
        [--containment 0.5] [--ref-min 0.3] [--margin 0.05]

REF.tsv is the output of dupfind_exact_ref --min REF_MIN (jaccard a_in_b
b_in_a a b); each OUT.jsonl is dupfind --format=jsonl output.  Documents
are matched by file name (basename), so the corpus names must be unique,
as gen_corpus.py makes them.

Definitions (t = --threshold, c = --containment, m = --margin):
  true pair       exact Jaccard >= t, or exact max(a_in_b, b_in_a) >= c
  precision       true reported pairs / reported pairs
  recall          found / true pairs with exact Jaccard >= t + m or exact
                  max containment >= c + m (pairs right at a threshold are
                  left out: no estimator can decide them reliably)
  recall (all)    found / all true pairs
  F1              2 P R / (P + R), with the first recall
Kinds come from the manifest; true pairs it does not list are "other".

With runs named "defaults" and "exact", the targets are checked and
printed as PASS/FAIL lines: at defaults recall >= 0.98 and precision >=
0.98; with --exact precision 1.0 and recall no lower than at defaults.
The exit status is 1 when a target fails.
"""

import argparse
import json
import math
import os
import sys
from collections import defaultdict

BANDS = [(0.0, 0.3)] + [(x / 10, x / 10 + 0.1) for x in range(3, 10)]


def band_of(x):
    for lo, hi in BANDS:
        if lo <= x < hi or (hi >= 1.0 and x >= lo):
            return (lo, hi)
    return BANDS[-1]


def band_name(b):
    lo, hi = b
    return "[%.1f,%.1f%s" % (lo, hi, "]" if hi >= 1.0 else ")")


def key(a, b):
    a, b = os.path.basename(a), os.path.basename(b)
    return (a, b) if a <= b else (b, a)


def load_ref(path):
    ref = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            j, ca, cb, a, b = line.rstrip("\n").split("\t")
            k = key(a, b)
            if k[0] != os.path.basename(a):
                ca, cb = cb, ca
            ref[k] = (float(j), float(ca), float(cb))
    return ref


def load_manifest(path):
    man = {}
    with open(path, encoding="utf-8") as f:
        header = f.readline()
        assert header.startswith("a\tb\tkind"), "not a manifest: " + path
        for line in f:
            a, b, kind, param = line.rstrip("\n").split("\t")
            man[key(a, b)] = (kind, param)
    return man


def load_run(path):
    pairs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if o.get("type") == "cluster":
                continue
            k = key(o["a"], o["b"])
            ca, cb = o["a_in_b"], o["b_in_a"]
            if k[0] != os.path.basename(o["a"]):
                ca, cb = cb, ca
            pairs[k] = (o["jaccard"], ca, cb, bool(o.get("exact")))
    return pairs


def param_group(kind, param):
    """Row label of the kind x parameter table."""
    if kind == "embed":
        r = float(param)
        lo = int(r)
        lo = lo if lo < 9 else 8
        hi = lo + 1 if lo < 8 else 10
        return "ratio %d-%d" % (lo, hi)
    if kind == "shuffle":
        return "all paragraphs"
    if kind == "excerpt":
        x = min(int(float(param) * 10), 9)
        return "share %.1f-%.1f" % (x / 10, x / 10 + 0.1)
    return "rate %.2f" % float(param)


def fmt_ratio(num, den):
    return "%6.4f" % (num / den) if den else "     -"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ref", required=True)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--run", nargs=3, action="append", required=True,
                    metavar=("NAME", "JSONL", "SECONDS"))
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--containment", type=float, default=0.5)
    ap.add_argument("--ref-min", type=float, default=0.3)
    ap.add_argument("--margin", type=float, default=0.05)
    args = ap.parse_args()
    t, ct, m = args.threshold, args.containment, args.margin
    if args.ref_min > min(t, ct if ct > 0 else t):
        sys.exit("score.py: the reference was cut at --min %.2f, above a "
                 "threshold" % args.ref_min)

    ref = load_ref(args.ref)
    man = load_manifest(args.manifest)
    runs = [(name, load_run(p), float(sec)) for name, p, sec in args.run]
    names = [r[0] for r in runs]

    def is_true(s):
        return s[0] >= t or (ct > 0 and max(s[1], s[2]) >= ct)

    def is_clear(s):
        return s[0] >= t + m or (ct > 0 and max(s[1], s[2]) >= ct + m)

    def kind_of(k):
        return man[k][0] if k in man else "other"

    true = {k for k, s in ref.items() if is_true(s)}
    clear = {k for k in true if is_clear(ref[k])}
    W = 10

    def header(title, first):
        print()
        print(title)
        print("  %-28s" % first + "".join("%*s" % (W, n) for n in names))

    def row(label, vals):
        print("  %-28s" % label + "".join("%*s" % (W, v) for v in vals))

    print("dupfind accuracy: %d reference pairs with Jaccard or containment "
          ">= %.2f, %d true pairs (Jaccard >= %.2f or containment >= %.2f), "
          "%d of them clear (>= +%.2f), %d planted pairs in the manifest"
          % (len(ref), args.ref_min, len(true), t, ct, len(clear), m,
             len(man)))

    # ---------------------------------------------------------------- runs
    header("runs", "")
    row("run time (s)", ["%.2f" % r[2] for r in runs])
    row("pairs reported", [len(r[1]) for r in runs])
    row("pairs with exact scores", [sum(1 for v in r[1].values() if v[3])
                                    for r in runs])
    # Exact scores must match the reference to the 4 decimals printed.
    devs, jerrs = [], []
    for _, pairs, _ in runs:
        dev, n_exact, err, n_est = 0.0, 0, 0.0, 0
        for k, v in pairs.items():
            s = ref.get(k)
            if s is None:
                continue
            d = max(abs(v[0] - s[0]), abs(v[1] - s[1]), abs(v[2] - s[2]))
            if v[3]:
                dev = max(dev, d)
                n_exact += 1
            else:
                err += abs(v[0] - s[0])
                n_est += 1
        devs.append("%.5f" % dev if n_exact else "-")
        jerrs.append("%.4f" % (err / n_est) if n_est else "-")
    row("max |exact - reference|", devs)
    row("mean |est. J - exact J|", jerrs)

    # ------------------------------------------------------------- overall
    stats = {}
    header("overall", "")
    for name, pairs, _ in runs:
        rep = set(pairs)
        tp = len(rep & true)
        fp = len(rep) - tp
        found_clear = len(rep & clear)
        found_all = tp
        p = tp / len(rep) if rep else 1.0
        r = found_clear / len(clear) if clear else 1.0
        ra = found_all / len(true) if true else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        stats[name] = dict(p=p, r=r, ra=ra, f1=f1, tp=tp, fp=fp,
                           missed=clear - rep, fps=rep - true,
                           missed_all=true - rep)
    for label, fld in (("true positives", "tp"), ("false positives", "fp")):
        row(label, [stats[n][fld] for n in names])
    row("precision", ["%.4f" % stats[n]["p"] for n in names])
    row("recall (clear, +%.2f)" % m, ["%.4f" % stats[n]["r"] for n in names])
    row("recall (all true pairs)", ["%.4f" % stats[n]["ra"] for n in names])
    row("F1", ["%.4f" % stats[n]["f1"] for n in names])
    row("missed clear pairs", [len(stats[n]["missed"]) for n in names])

    # ------------------------------------------------------------ per kind
    kinds = sorted({kind_of(k) for k in true} | {v[0] for v in man.values()},
                   key=lambda x: (x == "other", x))
    header("per edit kind: recall on clear pairs (found/clear)", "kind   planted/true/clear")
    for kd in kinds:
        kc = {k for k in clear if kind_of(k) == kd}
        kt = {k for k in true if kind_of(k) == kd}
        planted = sum(1 for v in man.values() if v[0] == kd) if kd != "other" else "-"
        vals = []
        for name, pairs, _ in runs:
            f = len(kc & set(pairs))
            vals.append("%d/%d" % (f, len(kc)))
        row("%-10s %s/%d/%d" % (kd, planted, len(kt), len(kc)), vals)
    header("per edit kind: precision (true/reported)", "kind")
    for kd in kinds:
        vals = []
        for name, pairs, _ in runs:
            rep = [k for k in pairs if kind_of(k) == kd]
            vals.append("%d/%d" % (sum(1 for k in rep if k in true), len(rep)))
        row(kd, vals)

    # ------------------------------------------- per kind and parameter
    groups = defaultdict(set)
    for k, (kd, param) in man.items():
        groups[(kd, param_group(kd, param))].add(k)
    header("per kind and parameter: clear pairs found / clear (planted)",
           "kind, parameter")
    for g in sorted(groups):
        ks = groups[g]
        kc = ks & clear
        vals = ["%d/%d" % (len(kc & set(r[1])), len(kc)) for r in runs]
        row("%-10s %-13s (%d)" % (g[0], g[1], len(ks)), vals)

    # -------------------------------------------------------- per band
    for what, idx in (("Jaccard", 0), ("max containment", 1)):
        def score(s):
            return s[0] if idx == 0 else max(s[1], s[2])
        header("per exact %s band: recall on true pairs (found/true)" % what,
               "band         pairs")
        for b in BANDS:
            inb = {k for k, s in ref.items() if band_of(score(s)) == b}
            tb = inb & true
            label = "%-12s %d" % ("<0.3" if b == BANDS[0] else band_name(b),
                                  len(inb))
            row(label, ["%d/%d" % (len(tb & set(r[1])), len(tb)) for r in runs])
        header("per exact %s band: precision (true/reported)" % what,
               "band")
        for b in BANDS:
            vals = []
            for name, pairs, _ in runs:
                rep = [k for k in pairs
                       if band_of(score(ref[k]) if k in ref else 0.0) == b]
                vals.append("%d/%d" % (sum(1 for k in rep if k in true),
                                       len(rep)))
            row("<0.3" if b == BANDS[0] else band_name(b), vals)

    # ------------------------------------------------- where misses come from
    if "exact" in stats:
        ex = set([r for r in runs if r[0] == "exact"][0][1])
        print()
        print("misses: clear pairs not reported, split by cause (a pair the "
              "--exact run also misses was never a candidate)")
        for name, pairs, _ in runs:
            miss = stats[name]["missed"]
            nocand = {k for k in miss if k not in ex}
            est = miss - nocand
            near = stats[name]["missed_all"] - miss
            print("  %-9s %4d missed: %4d not candidates, %4d lost by "
                  "estimation (and %d true pairs within %.2f of a "
                  "threshold)" % (name, len(miss), len(nocand), len(est),
                                  len(near), m))
            for k in sorted(miss, key=lambda x: (kind_of(x), ref[x]))[:12]:
                s = ref[k]
                v = pairs.get(k)
                print("      %-10s J %.3f  a_in_b %.3f  b_in_a %.3f  %s %s  %s"
                      % (kind_of(k) + (":" + man[k][1] if k in man else ""),
                         s[0], s[1], s[2], k[0], k[1],
                         "not a candidate" if k not in ex else "estimated below"))
            if len(miss) > 12:
                print("      ... %d more" % (len(miss) - 12))
        print("false positives, by exact max(Jaccard, containment):")
        for name, pairs, _ in runs:
            fps = stats[name]["fps"]
            hist = defaultdict(int)
            for k in fps:
                s = ref.get(k, (0.0, 0.0, 0.0))
                hist[band_name(band_of(max(s))) if k in ref else "<0.3"] += 1
            print("  %-9s %4d: %s" % (name, len(fps), ", ".join(
                "%s %d" % (b, hist[b]) for b in sorted(hist)) or "none"))

    # ---------------------------------------------------------- targets
    ok = True
    lines = []

    def check(cond, text):
        nonlocal ok
        ok = ok and cond
        lines.append(("PASS " if cond else "FAIL ") + text)

    if "defaults" in stats:
        d = stats["defaults"]
        check(d["r"] >= 0.98, "defaults: recall %.4f (target >= 0.98)" % d["r"])
        check(d["p"] >= 0.98, "defaults: precision %.4f (target >= 0.98)" % d["p"])
    if "exact" in stats:
        e = stats["exact"]
        check(e["p"] == 1.0, "--exact: precision %.4f (target 1.0)" % e["p"])
        if "defaults" in stats:
            d = stats["defaults"]
            check(e["r"] >= d["r"],
                  "--exact: recall %.4f (target: no lower than defaults, %.4f)"
                  % (e["r"], d["r"]))
    if lines:
        print()
        print("targets")
        for line in lines:
            print("  " + line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
