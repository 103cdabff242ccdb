#!/bin/sh
# memory.sh - dupfind's memory benchmark (bench/README.md,
# docs/performance.md).
#
#   sh bench/memory.sh [--million] [--limit-gb N] [--seed N] [--build DIR]
#
# Builds dupfind if needed (build-speed/ unless --build), generates
# corpora of 10,000 documents (~4 KiB; as files and as JSON Lines) and
# 100,000 documents (JSON Lines) under bench/out/ (kept), and with
# --million also 1,000,000 documents of ~300-400 bytes (JSON Lines).
# Runs dupfind --stats on each (all cores, defaults), and on the JSON
# Lines corpora once more with --containment=0 (runs named "-c0": the
# Jaccard bands only), and the 10k and 100k JSON Lines corpora with
# --verify=estimate ("-est": nothing re-read or kept for exact scoring),
# each under an address-space limit of --limit-gb
# GiB (default 8) so that a run that would exhaust the machine fails
# instead.  Prints peak RSS per document and per input byte, the slope
# between the 10k and 100k JSONL runs (memory each extra document
# costs), what the design implies per document, the candidate pairs per
# document and the share of the run spent on candidates + verification.
# PASS/FAIL lines for the targets of issue 4: <= 1 KiB per document
# (slope), and for the 1M run peak RSS <= 1.5 GB and candidates +
# verification <= 20%.  Exit status: 0 every target met, 1 one missed,
# 2 trouble.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
seed=1
million=0
limit_gb=8
build="$root/build-speed"
while [ $# -gt 0 ]; do
    case "$1" in
    --million) million=1; shift ;;
    --limit-gb) limit_gb=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "memory.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
out="$root/bench/out"
runs="$out/memory-runs"
mkdir -p "$runs"

now() { date +%s.%N; }

bench_build "$build" "$runs/build.log" dupfind
dupfind="$build/dupfind"

corpus() {   # name docs doc-bytes large-docs format
    dir="$out/memory-s$seed-$1"
    if [ ! -f "$dir/meta.txt" ]; then
        rm -rf "$dir"
        echo "generating $dir ..." >&2
        python3 "$root/bench/gen_speed.py" --seed "$seed" --docs "$2" \
            --doc-bytes "$3" --large-docs "$4" --format "$5" \
            --out "$dir" >&2
    fi
}
corpus 10k-files 10000 4000 0.001 files
corpus 10k-jsonl 10000 4000 0.001 jsonl
corpus 100k-jsonl 100000 4000 0.001 jsonl
list="10k-files 10k-jsonl 10k-jsonl-c0 10k-jsonl-est 100k-jsonl 100k-jsonl-c0 100k-jsonl-est"
if [ "$million" = 1 ]; then
    corpus 1m-jsonl 1000000 300 0 jsonl
    list="$list 1m-jsonl 1m-jsonl-c0"
fi

echo "machine: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$root" diff --quiet HEAD -- src include CMakeLists.txt 2>/dev/null ||
    rev="$rev + uncommitted changes"
echo "dupfind $rev, defaults (-j$(nproc), k = 128) unless -c0 (--containment=0) or -est (--verify=estimate); peak RSS = ru_maxrss; address space limited to $limit_gb GiB"
echo

# The fixed part: dupfind on one small document.
one="$runs/one.txt"
printf 'just one small document here\n' >"$one"
"$dupfind" -q --stats "$one" >/dev/null 2>"$runs/one.err"
base=$(sed -n 's/.*peak RSS \([0-9]*\) KiB.*/\1/p' "$runs/one.err")

res="$runs/results.tsv"
: >"$res"
for run in $list; do
    c=${run%-c0}                 # corpus; "-c0": with --containment=0
    extra=""
    [ "$c" != "$run" ] && extra=--containment=0
    case "$run" in             # "-est": with --verify=estimate
    *-est) c=${run%-est}; extra=--verify=estimate ;;
    esac
    dir="$out/memory-s$seed-$c"
    case "$c" in
    *-jsonl) input="$dir/corpus.jsonl"; set -- --records=jsonl "$input"
             # names are "FILE:LINE" (+ NUL); digits added below
             name_len="$(( ${#input} + 2 )) 1" ;;
    *) set -- "$dir/docs"
       name_len="$(find "$dir/docs" -type f |
                   awk '{ s += length($0) + 1 } END { printf "%.1f", s / NR }') 0" ;;
    esac
    echo "running dupfind on $run ..." >&2
    t0=$(now)
    st=0
    # Under an address-space limit, so that a run that would exhaust the
    # machine fails with "out of memory" instead.
    # shellcheck disable=SC3045
    ( ulimit -v $((limit_gb * 1024 * 1024))
      exec /usr/bin/time -f 'maxrss %M' -o "$runs/$run.time" \
          "$dupfind" -q --stats $extra "$@" ) \
        >"$runs/$run.out" 2>"$runs/$run.err" || st=$?
    t1=$(now)
    why=""
    [ "$st" = 0 ] || why=$(grep -v '^dupfind: stats' "$runs/$run.err" |
                           tail -n1 | tr '\t' ' ')
    [ "$st" = 0 ] || [ -n "$why" ] || why="exit status $st"
    awk -v c="$run" -v t0="$t0" -v t1="$t1" -v nl="$name_len" \
        -v why="$why" -v tf="$runs/$run.time" '
        /stats: documents/ { gsub(",", ""); docs = $4; bytes = $6; sh = $8 }
        /stats: candidates/ { gsub(",", ""); cand = $4; ver = $7 }
        /stats: read\+sketch/ {
            for (i = 1; i <= NF; i++) {
                if ($i == "read+sketch") rs = $(i + 1)
                if ($i == "candidates") cs = $(i + 1)
                if ($i == "verify") vs = $(i + 1)
            }
        }
        END {
            while ((getline l < tf) > 0)
                if (l ~ /^maxrss /) { split(l, x, " "); rss = x[2] }
            print c "\t" docs + 0 "\t" bytes + 0 "\t" rss + 0 "\t" cand + 0 \
                "\t" ver + 0 "\t" rs + 0 "\t" cs + 0 "\t" vs + 0 "\t" \
                t1 - t0 "\t" nl "\t" why "\t" sh + 0
        }
    ' "$runs/$run.err" >>"$res"
done

awk -v base="$base" -v million="$million" -v limit="$limit_gb" -v np="$(nproc)" '
    BEGIN { FS = "\t" }
    {
        n++
        c[n] = $1; d[n] = $2; b[n] = $3; rss[n] = $4 * 1024; cand[n] = $5
        ver[n] = $6; rs[n] = $7; cs[n] = $8; vs[n] = $9; w[n] = $10
        split($11, q, " ")
        nl[n] = q[1] + (q[2] ? avg_digits(d[n]) : 0); why[n] = $12
        sh[n] = $13
        idx[$1] = n
    }
    END {
        printf "fixed part (one tiny document): %.1f MiB\n\n", base / 1024
        printf "%-14s %8s %7s %8s %8s %7s %8s %9s %7s %7s\n", "run",
            "docs", "MB in", "RSS MiB", "B/doc", "B/byte", "(-fixed)",
            "cand/doc", "c+v %", "wall s"
        for (i = 1; i <= n; i++) {
            if (why[i] != "") {
                printf "%-14s FAILED after %.1f s (peak RSS %.1f MiB): %s\n",
                    c[i], w[i], rss[i] / 1048576, why[i]
                continue
            }
            printf "%-14s %8d %7.1f %8.1f %8.0f %7.2f %8.0f %9.1f %7.1f %7.2f\n",
                c[i], d[i], b[i] / 1e6, rss[i] / 1048576, rss[i] / d[i],
                rss[i] / b[i], (rss[i] - base * 1024) / d[i],
                cand[i] / d[i], 100 * (cs[i] + vs[i]) / w[i], w[i]
        }
        print ""
        for (i = 1; i <= n; i++)
            if (why[i] == "")
                printf "%-14s read+sketch %.2f s, candidates %.2f s, verify %.2f s (%d candidate pairs, %d verified exactly)\n",
                    c[i], rs[i], cs[i], vs[i], cand[i], ver[i]
        print ""
        fails = 0
        a = idx["10k-jsonl"]; z = idx["100k-jsonl"]
        slope = (rss[z] - rss[a]) / (d[z] - d[a])
        a0 = idx["10k-jsonl-c0"]; z0 = idx["100k-jsonl-c0"]
        slope0 = (rss[z0] - rss[a0]) / (d[z0] - d[a0])
        ae = idx["10k-jsonl-est"]; ze = idx["100k-jsonl-est"]
        slopee = (rss[ze] - rss[ae]) / (d[ze] - d[ae])
        printf "slope 10k -> 100k JSONL: %.0f bytes of peak RSS per extra document (%.0f with --containment=0, %.0f with --verify=estimate)\n",
            slope, slope0, slopee
        # What the design keeps per document (src/ctx.c, src/cli/reader.c,
        # src/lsh.c, src/results.c): signature 128 x 4, shingle count 8,
        # name offset 8, name + NUL, reader doc_loc 32, active flag 1,
        # banding (src/lsh.c): the records of a group of 16 bands 16 x 8,
        # radix scratch 8 per thread, the low byte of each slot 128 and an
        # id 4; for the sample its offset, size and shift 13 and its
        # values, 4 bytes for one shingle in 16 (these documents have
        # more than 256); and per candidate pair 8 (LSH pair list) + 40
        # (dupfind_pair).
        band = 16 * 8 + 8 * np + 128 + 4
        fixed = 512 + 8 + 8 + 32 + 1 + band + 13
        spd = 4 * sh[z] / d[z] / 16
        cpd = (cand[z] - cand[a]) / (d[z] - d[a])
        printf "design, per document: signature 512 + count 8 + name offset 8 + name %.0f + location 32 + active 1 + banding %d + sample 13 + %.0f = %.0f bytes\n",
            nl[z], band, spd, fixed + nl[z] + spd
        printf "        + 48 bytes per candidate pair x %.1f extra pairs per extra document = %.0f bytes; total %.0f bytes\n",
            cpd, 48 * cpd, fixed + nl[z] + spd + 48 * cpd
        fails += target("per-document memory (slope, defaults) <= 1024 bytes",
                        slope, 1024, 1)
        printf "info  with the defaults the slope also holds what exact verification keeps: the sorted shingles of big documents (up to 256 MiB) and of the documents it reads again; --verify=estimate keeps neither: %.0f bytes\n",
            slopee
        if (million) {
            m = idx["1m-jsonl"]; m0 = idx["1m-jsonl-c0"]
            if (why[m] != "") {
                printf "FAIL  1M documents: no result: %s (limit %d GiB, peak RSS %.2f GB when it stopped)\n",
                    why[m], limit, rss[m] / 1e9
                fails++
            } else {
                printf "1M documents: %.0f bytes of peak RSS per document, %.1f candidate pairs per document\n",
                    rss[m] / d[m], cand[m] / d[m]
                fails += target("1M documents: peak RSS <= 1.5 GB (GB)",
                                rss[m] / 1e9, 1.5, 1)
                fails += target("1M documents: candidates + verification <= 20% of the run (%)",
                                100 * (cs[m] + vs[m]) / w[m], 20, 1)
            }
            if (why[m0] == "")
                printf "info  1M documents with --containment=0: peak RSS %.2f GB, candidates + verification %.1f%% of the run\n",
                    rss[m0] / 1e9, 100 * (cs[m0] + vs[m0]) / w[m0]
        }
        exit fails > 0
    }
    function avg_digits(N,   s, lo, dd) {   # mean length of 1..N
        s = 0; lo = 1; dd = 1
        while (lo <= N) {
            s += dd * ((N < lo * 10 - 1 ? N : lo * 10 - 1) - lo + 1)
            lo *= 10; dd++
        }
        return s / N
    }
    function target(what, got, want, at_most) {
        ok = at_most ? got <= want : got >= want
        printf "%s  %s: %.2f\n", (ok ? "PASS" : "FAIL"), what, got
        return !ok
    }
' "$res"
