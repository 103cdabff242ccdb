#!/bin/sh
# copies.sh - dupfind on copies and near copies (docs/performance.md,
# "Copies, near copies and large results").
#
#   sh bench/copies.sh [--build DIR] [--base BINARY]
#
# Builds dupfind if needed (build-speed/ unless --build) and makes under
# bench/out/copies/ (kept for later runs): 2,000 copies of one 45 KB
# text (the fixture texts end to end), 2,000 near copies of it (one word
# in 100 replaced, seeded), 5,000 and 20,000 near copies of a 2.7 KB
# text, 5,000 copies of a 134-byte page, and 3,000
# copies each of a text and of its edit (fixtures/corpus/light).  Runs
# dupfind on them in the modes listed and prints wall time and peak RSS
# of each run.  With --base, another dupfind binary runs first on each,
# and the last column says whether the two outputs are byte-identical.
# About a minute here (the 9cabc82 binary as --base: two).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
build="$root/build-speed"
base=""
no_base=""
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "copies.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
out="$root/bench/out/copies"
mkdir -p "$out"
bench_build "$build" "$out/build.log" dupfind
dupfind="$build/dupfind"

# copies DIR COUNT FILE...: COUNT copies of each FILE in DIR.
copies() {
    dir=$1 count=$2
    shift 2
    [ -f "$dir/.done" ] && return 0
    echo "generating $dir ..." >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    for f in "$@"; do
        b=$(basename "$f" .txt)
        i=0
        while [ $i -lt "$count" ]; do
            cp "$f" "$dir/$b-$((10000 + i)).txt"
            i=$((i + 1))
        done
    done
    : >"$dir/.done"
}

big="$out/big.txt"
if [ ! -f "$big" ]; then
    for d in light heavy derivative reordered unrelated intl cjk; do
        cat "$root/fixtures/corpus/$d"/*.txt
    done >"$big"
fi
page="$out/page.txt"
[ -f "$page" ] ||
    echo "Page not found. The page you requested could not be found on this server. Please check the address or go back to the home page of the site." >"$page"
copies "$out/big-copies" 2000 "$big"
copies "$out/page-copies" 5000 "$page"
copies "$out/two-texts" 3000 "$root/fixtures/corpus/light/lighthouse.txt" \
    "$root/fixtures/corpus/light/lighthouse-edited.txt"
# near DIR COUNT FILE: COUNT near copies of FILE in DIR, one word in
# 100 replaced (seeded by the copy's number).
near() {
    dir=$1 count=$2 src=$3
    [ -f "$dir/.done" ] && return 0
    echo "generating $dir ..." >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    python3 - "$src" "$dir" "$count" <<'PY'
import random, sys
words = open(sys.argv[1], encoding="utf-8").read().split()
for i in range(int(sys.argv[3])):
    r = random.Random(i)
    w = list(words)
    for _ in range(max(1, len(w) // 100)):
        w[r.randrange(len(w))] = "x%d" % r.randrange(10 ** 6)
    with open("%s/n%04d.txt" % (sys.argv[2], i), "w", encoding="utf-8") as f:
        f.write(" ".join(w))
PY
    : >"$dir/.done"
}
near "$out/big-near" 2000 "$big"
near "$out/small-near" 5000 "$root/fixtures/corpus/light/lighthouse.txt"
near "$out/small-near-20k" 20000 "$root/fixtures/corpus/light/lighthouse.txt"

# run LABEL ARGS...: one line of the table.
run() {
    label=$1
    shift
    b_col="" same=""
    if [ -n "$base" ] && [ -n "$no_base" ]; then
        b_col="not run ($no_base) | "
    elif [ -n "$base" ]; then
        /usr/bin/time -f '%e %M' -o "$out/time" "$base" -q "$@" \
            >"$out/base.out" 2>/dev/null || true
        b_col=$(awk '{ printf "%.2f s, %.0f MiB | ", $1, $2 / 1024 }' \
                "$out/time")
    fi
    /usr/bin/time -f '%e %M' -o "$out/time" "$dupfind" -q "$@" \
        >"$out/new.out" 2>/dev/null || true
    if [ -n "$base" ] && [ -z "$no_base" ]; then
        if cmp -s "$out/base.out" "$out/new.out"; then same=" | same"
        else same=" | DIFFERENT"; fi
    fi
    printf '| %s | %s%s | %s%s |\n' "$label" "$b_col" \
        "$(awk '{ printf "%.2f s, %.0f MiB", $1, $2 / 1024 }' "$out/time")" \
        "$(wc -l <"$out/new.out" | tr -d ' ')" "$same"
}

echo "dupfind $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')${base:+, base $base}; wall time and peak RSS"
if [ -n "$base" ]; then
    echo "| input, mode | base | this | lines | output |"
    echo "|---|---|---|---|---|"
else
    echo "| input, mode | this | lines |"
    echo "|---|---|---|"
fi
run "2,000 copies of a 45 KB text, pairs" "$out/big-copies"
run "the same, --exact" --exact "$out/big-copies"
run "the same, --clusters" --clusters "$out/big-copies"
run "2,000 near copies of it, pairs" "$out/big-near"
run "the same, --unique" --unique "$out/big-near"
run "5,000 near copies of a 2.7 KB text, --clusters" --clusters "$out/small-near"
run "the same, --unique" --unique "$out/small-near"
# Before DUPFIND_CLUSTERS_ONLY and DUPFIND_WALK_BY_ID, 20,000 near
# copies made 200 M pairs.
no_base="would need about 24 GB"
run "20,000 near copies of it, --clusters" --clusters "$out/small-near-20k"
run "the same, --unique" --unique "$out/small-near-20k"
no_base=""
run "5,000 copies of a 134-byte page, --clusters" --clusters "$out/page-copies"
run "the same, --unique" --unique "$out/page-copies"
run "3,000 + 3,000 copies of a text and its edit, --clusters" --clusters "$out/two-texts"
run "the same, --unique" --unique "$out/two-texts"
