#!/bin/sh
# speed.sh - dupfind's speed benchmark (bench/README.md, docs/performance.md).
#
#   sh bench/speed.sh [--mb 100|1000] [--quick] [--reps N] [--seed N]
#                     [--build DIR]
#
# Builds dupfind and dupfind_floor if needed (in build-speed/ unless
# --build), generates four corpora of --mb MB (default 100) under
# bench/out/ (kept and reused): English text in ~4 KiB documents, pure
# ASCII and with 30% of the bytes in non-ASCII-bearing text, each as one
# file per document and as JSON Lines.  Then, for every corpus, for every
# MinHash kernel this machine has (dupfind --version) and for -j1 and
# -jN (N = nproc), runs dupfind --stats --reps times (default 5, 2 for
# --mb over 100; the best wall time is kept, the machine being shared
# and noisy, and the repetitions are interleaved) and the floor
# (dupfind_floor: read only, + tokenise and token hash, + rolling
# shingle hash; one thread) as many times, and prints one table:
# end-to-end MB/s and docs/s, read+sketch MB/s, candidates and verify
# seconds and their share of the run, peak RSS, the ratio to the floor
# (end-to-end MB/s over floor MB/s), the -jN scaling and
# the CPU other processes used meanwhile ("bg", in cores), and PASS/FAIL
# lines for the targets of issue 4.  It also times the MinHash kernels
# alone (dupfind_kernel_bench) and prints each corpus's ceiling: the
# floor plus the kernel's cost for the corpus's shingles, the most any
# run could reach on one core before dupfind's other work.  --quick:
# one run of each, and only the kernel dupfind picks by itself.  About
# 7 minutes at 100 MB here (plus 2 to generate the corpora the first
# time).
# Exit status: 0 every target met, 1 one missed, 2 trouble.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
mb=100
quick=0
reps=""
seed=1
build="$root/build-speed"
while [ $# -gt 0 ]; do
    case "$1" in
    --mb) mb=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --reps) reps=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "speed.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$reps" ] || { [ "$quick" = 1 ] && reps=1; } ||
    { [ "$mb" -le 100 ] && reps=5; } || reps=2
out="$root/bench/out"
runs="$out/speed-runs"
mkdir -p "$runs"

now() { date +%s.%N; }

# 1. Build.
bench_build "$build" "$runs/build.log" dupfind dupfind_floor \
    dupfind_kernel_bench
dupfind="$build/dupfind"
floor="$build/bench/dupfind_floor"
kbench="$build/bench/dupfind_kernel_bench"

# 2. Corpora (generated once per seed and size).
corpus() {   # name non-ascii format
    dir="$out/speed-s$seed-${mb}mb-$1"
    if [ ! -f "$dir/meta.txt" ]; then
        rm -rf "$dir"
        echo "generating $dir ..." >&2
        python3 "$root/bench/gen_speed.py" --seed "$seed" --mb "$mb" \
            --non-ascii "$2" --format "$3" --out "$dir" >&2
    fi
}
corpus ascii-files 0 files
corpus ascii-jsonl 0 jsonl
corpus na30-files 0.3 files
corpus na30-jsonl 0.3 jsonl

# 3. Machine.
ncpu=$(nproc)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
flags=$(sed -n 's/^flags[[:space:]]*: //p' /proc/cpuinfo | head -n1 |
        tr ' ' '\n' | grep -E '^(sse4_1|avx2|avx512f|avx512bw)$' |
        tr '\n' ' ')
cc_name=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
cc_ver=$("${cc_name:-cc}" --version 2>/dev/null | head -n1)
kernels=$("$dupfind" --version | sed -n 's/^kernels: //p')
auto=$("$dupfind" --version | sed -n 's/^simd: //p')
[ "$quick" = 1 ] && kernels=$auto
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$root" diff --quiet HEAD -- src include CMakeLists.txt 2>/dev/null ||
    rev="$rev + uncommitted changes"
echo "machine: $cpu, $ncpu cores ($flags), $(uname -sr)"
echo "compiler: $cc_ver, $(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt") build; dupfind $rev; kernels: $kernels"
echo "corpora: $mb MB each, seed $seed, bench/out/speed-s$seed-${mb}mb-*; best of $reps runs; page cache warm"
echo

input_of() {   # corpus -> dupfind arguments
    case "$1" in
    *-jsonl) echo "--records=jsonl $out/speed-s$seed-${mb}mb-$1/corpus.jsonl" ;;
    *) echo "$out/speed-s$seed-${mb}mb-$1/docs" ;;
    esac
}

# Busy CPU time of the whole machine so far, in seconds (user, nice,
# system, irq, softirq, steal from /proc/stat).
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
busy() {
    awk -v hz="$hz" '/^cpu / { print ($2 + $3 + $4 + $7 + $8 + $9) / hz;
                               exit }' /proc/stat
}

# One run of a command: stdout in $runs/$tag.tmpout, stderr (the stats)
# in $runs/$tag.tmperr.  Kept as $runs/$tag.{out,err} when its wall time
# is the best so far; $runs/$tag.best holds "wall bg" where bg is the CPU
# that other processes used meanwhile, in cores (0.00 = quiet machine).
run_one() {   # tag command...
    tag=$1; shift
    b0=$(busy)
    t0=$(now)
    /usr/bin/time -f '%U %S' -o "$runs/$tag.cpu" "$@" \
        >"$runs/$tag.tmpout" 2>"$runs/$tag.tmperr" || {
        echo "speed.sh: failed: $*" >&2; cat "$runs/$tag.tmperr" >&2
        exit 2; }
    t1=$(now)
    b1=$(busy)
    line=$(awk -v a="$t0" -v b="$t1" -v x="$b0" -v y="$b1" \
               -v f="$runs/$tag.cpu" 'BEGIN {
        getline cpu < f; split(cpu, u, " ")
        bg = (y - x - u[1] - u[2]) / (b - a)
        printf "%.4f %.2f", b - a, bg < 0 ? 0 : bg }')
    if [ ! -f "$runs/$tag.best" ] ||
       awk -v a="${line% *}" -v f="$runs/$tag.best" \
           'BEGIN { getline b < f; split(b, x, " "); exit !(a < x[1]) }'
    then
        echo "$line" >"$runs/$tag.best"
        mv "$runs/$tag.tmpout" "$runs/$tag.out"
        mv "$runs/$tag.tmperr" "$runs/$tag.err"
    fi
    rm -f "$runs/$tag.tmpout" "$runs/$tag.tmperr" "$runs/$tag.cpu"
}

# 4. Runs.  Repetitions are interleaved (every configuration of a corpus
# once, then again), so that a burst of load from elsewhere does not hit
# all the runs of one configuration.  results.tsv: corpus kernel jobs
# wall docs bytes sketch_s cand_s verify_s rss_kib candidates bg;
# floors.tsv: corpus stage MB/s bg.
res="$runs/results.tsv"
flo="$runs/floors.tsv"
: >"$res"
: >"$flo"
rm -f "$runs"/*.best
identical=yes
jobs=1
[ "$ncpu" -gt 1 ] && jobs="1 $ncpu"
for c in ascii-files ascii-jsonl na30-files na30-jsonl; do
    # shellcheck disable=SC2046
    set -- $(input_of "$c")
    # Warm the page cache (and the directory entries).
    "$floor" --stage=read "$@" >/dev/null
    r=0
    while [ "$r" -lt "$reps" ]; do
        for stage in read tokens shingles; do
            run_one "floor-$c-$stage" "$floor" --stage=$stage "$@"
        done
        for k in $kernels; do
            for j in $jobs; do
                run_one "dupfind-$c-$k-j$j" \
                    "$dupfind" -q --stats --simd="$k" -j"$j" "$@"
            done
        done
        r=$((r + 1))
    done
    for stage in read tokens shingles; do
        sed -n 's/.* s, \([0-9.]*\) MB\/s.*/\1/p' \
            "$runs/floor-$c-$stage.out" |
            awk -v c="$c" -v s="$stage" -v f="$runs/floor-$c-$stage.best" \
                '{ getline b < f; split(b, x, " ")
                   print c "\t" s "\t" $1 "\t" x[2] }' >>"$flo"
    done
    ref=""
    for k in $kernels; do
        for j in $jobs; do
            tag="dupfind-$c-$k-j$j"
            sum=$(cksum <"$runs/$tag.out")
            [ -z "$ref" ] && ref=$sum
            [ "$sum" = "$ref" ] || identical="NO ($tag differs)"
            awk -v c="$c" -v k="$k" -v j="$j" -v f="$runs/$tag.best" '
                BEGIN { getline b < f; split(b, x, " "); w = x[1]; bg = x[2] }
                /stats: documents/ {
                    gsub(",", ""); docs = $4; bytes = $6; sh = $8
                }
                /stats: candidates/ { gsub(",", ""); cand = $4 }
                /stats: read\+sketch/ {
                    for (i = 1; i <= NF; i++) {
                        if ($i == "read+sketch") rs = $(i + 1)
                        if ($i == "candidates") cs = $(i + 1)
                        if ($i == "verify") vs = $(i + 1)
                    }
                }
                /stats: peak RSS/ { rss = $5 }
                END { print c "\t" k "\t" j "\t" w "\t" docs "\t" bytes \
                      "\t" rs "\t" cs "\t" vs "\t" rss "\t" cand "\t" bg \
                      "\t" sh }
            ' "$runs/$tag.err" >>"$res"
        done
    done
done

# The kernels alone: "name ns-per-shingle" lines.
"$kbench" >"$runs/kernels.txt" || {
    echo "speed.sh: dupfind_kernel_bench failed" >&2; exit 2; }

# 5. Table and targets.
awk -v ncpu="$ncpu" -v auto="$auto" -v identical="$identical" \
    -v kf="$runs/kernels.txt" '
    BEGIN {
        FS = "\t"
        while ((getline line < kf) > 0) {
            split(line, a, " ")
            kname[++nk] = a[1]
            kns[a[1]] = a[2]
        }
    }
    FNR == NR { floor[$1 "," $2] = $3; fbg[$1 "," $2] = $4; next }
    {
        n++
        c[n] = $1; k[n] = $2; j[n] = $3; w[n] = $4; d[n] = $5; b[n] = $6
        rs[n] = $7; cs[n] = $8; vs[n] = $9; rss[n] = $10; cand[n] = $11
        bg[n] = $12
        mbs[n] = b[n] / w[n] / 1e6
        if (j[n] == 1) one[c[n] "," k[n]] = mbs[n]
        spm[c[n]] = $13 / b[n] * 1e6       # shingles per MB of input
    }
    END {
        printf "%-12s %-7s %3s %7s %7s %8s %8s %7s %7s %6s %8s %6s %6s %5s\n",
            "corpus", "kernel", "-j", "wall s", "MB/s", "docs/s",
            "sketchMB", "cand s", "ver s", "c+v %", "RSS MiB", "xfloor",
            "scale", "bg"
        for (i = 1; i <= n; i++) {
            if (i > 1 && c[i] != c[i - 1]) print ""
            fl = floor[c[i] ",shingles"]
            sc = j[i] == 1 ? "" : sprintf("%.2f", mbs[i] / one[c[i] "," k[i]])
            printf "%-12s %-7s %3s %7.3f %7.1f %8.0f %8.1f %7.3f %7.3f %6.1f %8.1f %6.2f %6s %5.2f\n",
                c[i], k[i], j[i], w[i], mbs[i], d[i] / w[i],
                b[i] / rs[i] / 1e6, cs[i], vs[i],
                100 * (cs[i] + vs[i]) / w[i], rss[i] / 1024,
                mbs[i] / fl, sc, bg[i]
        }
        print ""
        printf "floor (dupfind_floor, one thread, MB/s):\n"
        printf "%-12s %10s %10s %10s %5s\n", "corpus", "read", "+tokens",
            "+shingles", "bg"
        split("ascii-files ascii-jsonl na30-files na30-jsonl", cs_, " ")
        for (x = 1; x <= 4; x++)
            printf "%-12s %10.1f %10.1f %10.1f %5.2f\n", cs_[x],
                floor[cs_[x] ",read"], floor[cs_[x] ",tokens"],
                floor[cs_[x] ",shingles"], fbg[cs_[x] ",shingles"]
        print ""
        # The floor plus the kernel folding the shingles of the corpus:
        # what one core could reach if nothing else took any time.
        printf "ceiling (floor + MinHash kernel alone, one thread, MB/s; dupfind_kernel_bench):\n"
        printf "%-12s %-7s %10s %11s %10s\n", "corpus", "kernel",
            "ns/shingle", "shingles/MB", "ceiling"
        for (x = 1; x <= 4; x++)
            for (y = 1; y <= nk; y++) {
                cc = cs_[x]; kk = kname[y]
                t = spm[cc] * kns[kk] * 1e-9     # kernel s per MB
                ceil[cc "," kk] = 1 / (1 / floor[cc ",shingles"] + t)
                printf "%-12s %-7s %10.2f %11.0f %10.1f\n", cc, kk,
                    kns[kk], spm[cc], ceil[cc "," kk]
            }
        print ""
        printf "output identical for every kernel and -j: %s\n", identical
        print ""
        # Targets (issue 4).  One core, end to end, ASCII ~4 KiB docs.
        fails = 0
        for (x = 1; x <= 2; x++) {
            cc = x == 1 ? "ascii-files" : "ascii-jsonl"
            if ((cc ",avx512") in one)
                fails += target(sprintf("avx512 -j1 %s >= 400 MB/s", cc),
                                one[cc ",avx512"], 400)
            if ((cc ",avx2") in one)
                fails += target(sprintf("avx2   -j1 %s >= 300 MB/s", cc),
                                one[cc ",avx2"], 300)
            above(cc, "avx512", 400)
            above(cc, "avx2", 300)
            fails += target(sprintf("%s -j1 %s >= 0.5 x floor (%.1f MB/s)",
                                    auto, cc, floor[cc ",shingles"]),
                            one[cc "," auto] / floor[cc ",shingles"], 0.5)
        }
        for (i = 1; i <= n; i++)
            if (j[i] != 1 && k[i] == auto)
                fails += target(sprintf("%s -j%d/-j1 %s >= %.1f x", auto,
                                        j[i], c[i], 0.9 * j[i]),
                                mbs[i] / one[c[i] "," auto], 0.9 * j[i])
        for (x = 1; x <= 2; x++) {
            cc = x == 1 ? "na30-files" : "na30-jsonl"
            fails += target(sprintf("%s -j1 %s >= 150 MB/s", auto, cc),
                            one[cc "," auto], 150)
        }
        if (identical != "yes")
            fails++
        exit fails > 0
    }
    # A target over the ceiling cannot be met on this machine.
    function above(cc, kk, want) {
        if ((cc "," kk) in ceil && ceil[cc "," kk] < want)
            printf "info  %-6s -j1 %s >= %d MB/s is above the ceiling of this machine (floor + kernel): %.1f\n",
                kk, cc, want, ceil[cc "," kk]
    }
    function target(what, got, want) {
        printf "%s  %s: %.2f\n", (got >= want ? "PASS" : "FAIL"), what, got
        return got < want
    }
' "$flo" "$res"
