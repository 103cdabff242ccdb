#!/bin/sh
# accuracy.sh - dupfind's accuracy benchmark (bench/README.md).
#
#   sh bench/accuracy.sh [--seed N] [--docs N] [--build DIR] [--out DIR]
#
# Builds dupfind and dupfind_exact_ref if needed (in build-bench/ unless
# --build), generates a corpus with planted near-duplicates (5,000
# documents, seed 1, under bench/out/; kept between runs), computes the
# ground truth with the exact reference, runs dupfind at its defaults,
# with --verify=estimate, with --exact and with --ignore-common=0.02
# (JSON Lines output), and prints
# precision, recall and F1 overall, per edit kind and per exact-similarity
# band, the run times, and PASS/FAIL lines for the targets.  Exit status:
# 0 all targets met, 1 a target failed, 2 trouble.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
seed=1
docs=5000
build="$root/build-bench"
out=""
while [ $# -gt 0 ]; do
    case "$1" in
    --seed) seed=$2; shift 2 ;;
    --docs) docs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "accuracy.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$out" ] || out="$root/bench/out/accuracy-s$seed-n$docs"
corpus="$out/corpus"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# 1. Build (only the two programs needed; tests stay off unless the build
#    directory was configured with them).
mkdir -p "$out"
bench_build "$build" "$out/build.log" dupfind dupfind_exact_ref
dupfind="$build/dupfind"
ref="$build/bench/dupfind_exact_ref"

# 2. Corpus (generated once per seed and size).
if [ ! -f "$corpus/manifest.tsv" ]; then
    rm -rf "$corpus"
    (cd "$root" && python3 bench/gen_corpus.py --seed "$seed" \
            --docs "$docs" --out "${corpus#"$root"/}")
fi
find "$corpus/docs" -type f -name '*.txt' | LC_ALL=C sort > "$out/files.txt"

echo "machine: $(nproc) cores, $(uname -sm), $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), $(${CC:-cc} --version 2>/dev/null | head -n1)"
if rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
    git -C "$root" diff --quiet HEAD -- src include CMakeLists.txt ||
        rev="$rev + uncommitted changes"
else
    rev="unknown (not a git checkout)"
fi
echo "dupfind: $("$dupfind" --version 2>/dev/null | head -n1), source $rev"
echo "corpus: ${corpus#"$root"/} ($(wc -l < "$out/files.txt") documents, $(du -sh "$corpus/docs" | cut -f1), seed $seed)"

# 3. Ground truth.
t0=$(now)
"$ref" --min 0.3 --files-from "$out/files.txt" > "$out/reference.tsv"
t1=$(now)
echo "exact reference: $(wc -l < "$out/reference.tsv") pairs with Jaccard or containment >= 0.3 in $(elapsed "$t0" "$t1") s"

# 4. dupfind runs.
run() {
    name=$1; shift
    t0=$(now)
    "$dupfind" -q --format=jsonl "$@" --files-from "$out/files.txt" \
        > "$out/$name.jsonl"
    t1=$(now)
    echo "$name $(elapsed "$t0" "$t1")" >> "$out/times.txt"
    echo "run $name: dupfind -q --format=jsonl${*:+ $*} -> $(wc -l < "$out/$name.jsonl") pairs in $(elapsed "$t0" "$t1") s"
}
: > "$out/times.txt"
run defaults
run estimate --verify=estimate
run exact --exact
# Boilerplate: shingles in more than 2% of the documents left out (the
# generator's shared headers and footers are in far more).  Scores are
# then those of the documents without them, so pairs that were alike
# only through boilerplate go.
run common --ignore-common=0.02

# 5. Scores.
set --
while read -r name secs; do
    set -- "$@" --run "$name" "$out/$name.jsonl" "$secs"
done < "$out/times.txt"
echo
python3 "$root/bench/score.py" --ref "$out/reference.tsv" \
        --manifest "$corpus/manifest.tsv" --ref-min 0.3 "$@"
