#!/usr/bin/env python3
"""e2e_exact.py - dupfind --exact against the exact reference, end to end.

    python3 e2e_exact.py --dupfind PATH --ref PATH --gen bench/gen_corpus.py \\
        --work DIR [--seed 7] [--docs 200]

Generates a small corpus with planted near-duplicates (bench/gen_corpus.py,
fixed seed), scores every pair exactly with dupfind_exact_ref, runs
dupfind --exact --format=jsonl on the same file list and requires:

  - every reported pair is marked exact and its Jaccard, a_in_b and b_in_a
    equal the reference's to 4 decimals (|difference| <= 0.00005 + 1e-9,
    dupfind prints 4 decimals);
  - its relation is what its exact scores say (duplicate when Jaccard >=
    0.5, else contained with the larger side's "inside"), so no reported
    pair is below both thresholds;
  - no reference pair with Jaccard >= 0.55 or larger containment >= 0.55
    is missing (thresholds 0.5 + 0.05: candidate generation must not lose
    clear pairs);
  - the corpus has enough such pairs for this to mean something.

Exit status 0 on success, 1 on a failed check, 2 on trouble.
"""

import argparse
import json
import os
import subprocess
import sys

T, C, MARGIN, TOL = 0.5, 0.5, 0.05, 0.00005 + 1e-9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dupfind", required=True)
    ap.add_argument("--ref", required=True)
    ap.add_argument("--gen", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--docs", type=int, default=200)
    args = ap.parse_args()

    corpus = os.path.join(args.work, "corpus-s%d-n%d" % (args.seed, args.docs))
    if not os.path.exists(os.path.join(corpus, "manifest.tsv")):
        subprocess.run([sys.executable, args.gen, "--seed", str(args.seed),
                        "--docs", str(args.docs), "--out", corpus], check=True)
    docs = os.path.join(corpus, "docs")
    files = sorted(os.path.join(docs, f) for f in os.listdir(docs))
    listing = os.path.join(args.work, "files.txt")
    with open(listing, "w") as f:
        f.write("".join(p + "\n" for p in files))

    out = subprocess.run([args.ref, "--min", "0.3", "--files-from", listing],
                         check=True, capture_output=True, text=True).stdout
    ref = {}
    for line in out.splitlines():
        j, ca, cb, a, b = line.split("\t")
        ref[(a, b)] = (float(j), float(ca), float(cb))

    out = subprocess.run([args.dupfind, "--exact", "--format=jsonl",
                          "--files-from", listing],
                         check=True, capture_output=True, text=True).stdout
    failures = []
    got = {}
    for line in out.splitlines():
        o = json.loads(line)
        a, b = o["a"], o["b"]
        k = (a, b) if (a, b) in ref else (b, a)
        mine = (o["jaccard"], o["a_in_b"], o["b_in_a"])
        if k != (a, b):
            mine = (mine[0], mine[2], mine[1])
        got[k] = o
        if not o.get("exact"):
            failures.append("not exact: %s %s" % (a, b))
        if k not in ref:
            failures.append("reported, but below 0.3 in the reference: "
                            "%s %s %s" % (a, b, mine))
            continue
        s = ref[k]
        if any(abs(x - y) > TOL for x, y in zip(mine, s)):
            failures.append("scores differ: %s %s dupfind %s reference %s"
                            % (a, b, mine, s))
        if s[0] >= T:
            want = ("duplicate", None)
        elif max(s[1], s[2]) >= C:
            inside = "a" if (s[1] if k == (a, b) else s[2]) >= \
                (s[2] if k == (a, b) else s[1]) else "b"
            want = ("contained", inside)
        else:
            want = (None, None)
        if (o["relation"], o.get("inside")) != want:
            failures.append("relation %s/%s, exact scores say %s: %s %s %s"
                            % (o["relation"], o.get("inside"), want, a, b, s))

    clear = [k for k, s in ref.items()
             if s[0] >= T + MARGIN or max(s[1], s[2]) >= C + MARGIN]
    missed = [k for k in clear if k not in got]
    for k in missed:
        failures.append("missed: %s %s reference %s" % (k[0], k[1], ref[k]))
    if len(clear) < 40:
        failures.append("only %d clear pairs in the corpus: too few to test"
                        % len(clear))

    print("e2e: %d documents, %d reference pairs >= 0.3, %d clear pairs "
          "(>= %.2f), dupfind --exact reported %d, missed %d, %d failures"
          % (len(files), len(ref), len(clear), T + MARGIN, len(got),
             len(missed), len(failures)))
    for f in failures[:30]:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
