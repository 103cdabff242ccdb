#!/bin/sh
# accuracy.sh DUPFIND_BINARY FIXTURES_DIR EXPECTED_PAIRS
#
# Checks dupfind against the planted pairs of FIXTURES_DIR/corpus listed
# in EXPECTED_PAIRS (tests/cli/expected-pairs.tsv; its header explains the
# modes).  Fails (exit 1) when a planted pair is missing, when a pair
# outside the planted ones is reported, or when an estimate (default
# --verify=auto, and --verify=estimate) differs from the exact score of
# --exact by more than 0.1 (Jaccard and both containments).  Prints a
# table of the scores.
#
# It also runs the default containment search over the corpus and wants
# the "contained" pairs found by it, and nothing unplanned
# (ACCURACY_CONTAINMENT=0 in the environment skips that part).
set -u

usage() {
    echo "usage: $0 DUPFIND_BINARY FIXTURES_DIR EXPECTED_PAIRS" >&2
    exit 2
}
[ $# -eq 3 ] || usage

bin=$1
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
expected=$3
case $expected in
/*) ;;
*) expected=$(pwd)/$expected ;;
esac
fixtures=$(cd "$2" 2>/dev/null && pwd) || {
    echo "$0: $2: no such directory" >&2
    exit 2
}
if [ ! -x "$bin" ] || [ ! -r "$expected" ] || [ ! -d "$fixtures/corpus" ]; then
    echo "$0: need an executable, a readable pair list and FIXTURES/corpus" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dupfind-accuracy.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

LC_ALL=C
export LC_ALL
unset DUPFIND_SIMD
# Names in the output are FIXTURES_BASENAME/corpus/...; the pair list has
# them relative to corpus/.
base=$(basename "$fixtures")
prefix=$base/corpus/
cd "$fixtures/.." || exit 2

fail=0

# run NAME ARGS...: runs dupfind into $tmp/NAME, wants exit status 0.
run() {
    name=$1
    shift
    "$bin" "$@" >"$tmp/$name" 2>"$tmp/$name.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL: dupfind $* exited with $rc:"
        sed 's/^/  /' "$tmp/$name.err"
        fail=1
    fi
}

# check_mode MODE: compares $tmp/MODE.{auto,estimate,exact} with the
# pairs of MODE in the list.
check_mode() {
    awk -F '\t' -v mode="$1" -v prefix="$prefix" '
    function key(a, b) { return a < b ? a "\t" b : b "\t" a }
    function strip(s) {
        if (substr(s, 1, length(prefix)) == prefix)
            s = substr(s, length(prefix) + 1)
        return s
    }
    function abs(x) { return x < 0 ? -x : x }
    FNR == 1 { f++ }
    f == 1 {
        if ($0 ~ /^#/ || $0 ~ /^[ \t]*$/ || $1 != mode)
            next
        k = key($3, $4)
        want[k] = $2
        order[++n] = k
        next
    }
    {
        # f: 2 auto, 3 estimate, 4 exact
        k = key(strip($5), strip($6))
        if (!(k in want)) {
            printf "FAIL: %s: unplanned pair reported (%s): %s\n",
                   mode, label[f], $0
            bad = 1
            next
        }
        seen[f, k] = 1
        J[f, k] = $1; AB[f, k] = $2; BA[f, k] = $3
    }
    BEGIN { label[2] = "auto"; label[3] = "estimate"; label[4] = "exact" }
    END {
        printf "%-6s %-13s %-7s %-8s %-7s  %s\n", "mode", "family",
               "exact", "estimate", "auto", "pair"
        for (i = 1; i <= n; i++) {
            k = order[i]
            for (g = 2; g <= 4; g++)
                if (!((g, k) in seen)) {
                    printf "FAIL: %s: planted pair missing (%s): %s\n",
                           mode, label[g], k
                    bad = 1
                }
            if (!((4, k) in seen))
                continue
            for (g = 2; g <= 3; g++) {
                if (!((g, k) in seen))
                    continue
                if (abs(J[g, k] - J[4, k]) > 0.1 ||
                    abs(AB[g, k] - AB[4, k]) > 0.1 ||
                    abs(BA[g, k] - BA[4, k]) > 0.1) {
                    printf "FAIL: %s: %s scores %s %s %s are more than 0.1 from the exact %s %s %s: %s\n",
                           mode, label[g], J[g, k], AB[g, k], BA[g, k],
                           J[4, k], AB[4, k], BA[4, k], k
                    bad = 1
                }
            }
            printf "%-6s %-13s %-7s %-8s %-7s  %s\n", mode, want[k],
                   J[4, k], J[3, k], J[2, k], k
        }
        exit bad
    }' "$expected" "$tmp/$1.auto" "$tmp/$1.estimate" "$tmp/$1.exact" ||
        fail=1
}

# Word shingles over the whole corpus.
run words.auto --containment=0 "${prefix%/}"
run words.estimate --containment=0 --verify=estimate "${prefix%/}"
run words.exact --containment=0 --exact "${prefix%/}"
check_mode words

# Character shingles over the CJK texts only.
run chars3.auto --containment=0 --shingle=chars:3 "${prefix}cjk"
run chars3.estimate --containment=0 --shingle=chars:3 --verify=estimate \
    "${prefix}cjk"
run chars3.exact --containment=0 --shingle=chars:3 --exact "${prefix}cjk"
check_mode chars3

# Contained pairs: the fixture itself, without the containment search.
grep '^contained	' "$expected" >"$tmp/contained"
i=0
while IFS='	' read -r mode family a b; do
    i=$((i + 1))
    run contained.$i --containment=0 --exact --threshold=0.2 \
        "$prefix$a" "$prefix$b"
    scores=$(awk -F '\t' -v a="$prefix$a" -v b="$prefix$b" \
        '$5 == a && $6 == b { print $1, $2 }' "$tmp/contained.$i")
    if [ -z "$scores" ]; then
        echo "FAIL: contained: $a and $b not reported at --threshold=0.2"
        fail=1
        continue
    fi
    j=${scores% *}
    c=${scores#* }
    if ! awk -v c="$c" 'BEGIN { exit !(c >= 0.95) }'; then
        echo "FAIL: contained: only $c of $a is inside $b"
        fail=1
    fi
    printf '%-9s %-10s J %s, share of a inside b %s: %s in %s\n' \
        "$mode" "$family" "$j" "$c" "$a" "$b"
done <"$tmp/contained"

# The containment search (on by default) finds the contained pairs.
if [ "${ACCURACY_CONTAINMENT:-1}" = 1 ]; then
    run containment "${prefix%/}"
    awk -F '\t' -v prefix="$prefix" '
    function key(a, b) { return a < b ? a "\t" b : b "\t" a }
    function strip(s) {
        if (substr(s, 1, length(prefix)) == prefix)
            s = substr(s, length(prefix) + 1)
        return s
    }
    FNR == 1 { f++ }
    f == 1 {
        if ($0 ~ /^#/ || $0 ~ /^[ \t]*$/)
            next
        if ($1 == "words")
            want[key($3, $4)] = "duplicate"
        else if ($1 == "contained")
            want[key($3, $4)] = "contained"
        next
    }
    {
        k = key(strip($5), strip($6))
        if (!(k in want)) {
            printf "FAIL: containment: unplanned pair reported: %s\n", $0
            bad = 1
            next
        }
        got = $4 == "duplicate" ? "duplicate" : "contained"
        if (got != want[k]) {
            printf "FAIL: containment: %s wanted as %s: %s\n", k, want[k], $0
            bad = 1
        }
        seen[k] = 1
    }
    END {
        for (k in want)
            if (!(k in seen)) {
                printf "FAIL: containment: planted pair missing: %s\n", k
                bad = 1
            }
        exit bad
    }' "$expected" "$tmp/containment" || fail=1
fi

if [ $fail -ne 0 ]; then
    echo "accuracy: FAILED"
    exit 1
fi
echo "accuracy: ok"
exit 0
