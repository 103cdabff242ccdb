#!/bin/sh
# determinism.sh DUPFIND_BINARY FIXTURES_DIR
#
# The same input gives byte-identical output whatever the thread count,
# the MinHash kernel (every kernel this CPU runs) and the run, and a
# file list in the order of the sorted walk gives what the walk gives.
# Covers pairs (TSV and JSON Lines), clusters and --unique, over the
# fixtures plus a generated corpus larger than one reader batch (1,024
# documents), so several batches are sketched concurrently; and the
# same corpus as --records=jsonl with bad records among the good ones,
# where stderr (the notes, in input order) must not change either.
set -u
bin=$1
fixtures=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dupfind-det.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# 1,500 small documents: each a draw from a shared, skewed vocabulary,
# so many overlap a little; every 50th is a copy of the one 7 before it
# with one word changed, so there are real pairs too.
mkdir "$tmp/gen" || exit 2
awk -v dir="$tmp/gen" 'BEGIN {
    srand(7);
    for (i = 0; i < 400; i++) w[i] = sprintf("w%03d%c", i, 97 + i % 26);
    for (d = 0; d < 1500; d++) {
        f = sprintf("%s/d%04d.txt", dir, d);
        if (d % 50 == 49) {
            line = text[d - 7];
            sub(/ [^ ]+ /, " changed ", line);
        } else {
            line = "";
            for (j = 0; j < 60; j++)
                line = line " " w[int(rand() * rand() * 400)];
        }
        text[d] = line;
        print line > f;
        close(f);
    }
}' </dev/null || exit 2
[ "$(ls "$tmp/gen" | wc -l)" -eq 1500 ] || { echo "corpus not made"; exit 2; }

# Every kernel this build and CPU run (an unsupported one exits 2).
kernels=""
for k in scalar sse avx2 avx512 neon; do
    echo "a b c" | "$bin" -q --records=lines --simd=$k >/dev/null 2>&1 &&
        kernels="$kernels $k"
done
[ -n "$kernels" ] || { echo "no kernel runs?"; exit 2; }
status=0
run() {   # name, then dupfind arguments
    name=$1
    shift
    (cd "$tmp" && "$bin" -q "$@") >"$tmp/out.$name" 2>"$tmp/err.$name"
    echo $? >>"$tmp/out.$name"
}
check() {   # reference name, other names...
    ref=$1
    shift
    for o in "$@"; do
        for f in out err; do
            if ! cmp -s "$tmp/$f.$ref" "$tmp/$f.$o"; then
                echo "differs ($f): $ref vs $o"
                diff "$tmp/$f.$ref" "$tmp/$f.$o" | head -5
                status=1
            fi
        done
    done
}

cp -r "$fixtures" "$tmp/fx" || exit 2
for mode in "" "--format=jsonl" "--clusters" "--unique" "--verify=estimate"; do
    tag=$(echo "x$mode" | tr -c 'a-z0-9\n' '_')
    names=""
    for j in 1 2 3 8; do
        for k in $kernels; do
            # shellcheck disable=SC2086
            run "$tag.j$j.$k" -j$j --simd=$k $mode fx gen
            names="$names $tag.j$j.$k"
        done
    done
    # shellcheck disable=SC2086
    run "$tag.again" $mode fx gen
    # shellcheck disable=SC2086
    set -- $names
    first=$1
    shift
    check "$first" "$@" "$tag.again"
done
# JSON Lines records, decoded on the workers: bad lines (malformed,
# without the text field) and blank ones among the good, and a missing
# source between two others.
for f in "$tmp"/gen/*; do
    printf '{"id":"%s","text":"%s"}\n' "${f##*/}" "$(cat "$f")"
done | awk '{
    if (NR % 97 == 0) print "{\"text\": " NR;
    else if (NR % 89 == 0) print "{\"id\": " NR "}";
    else if (NR % 83 == 0) print "";
    print
}' >"$tmp/gen.jsonl" || exit 2
names=""
for j in 1 2 3 8; do
    for k in $kernels; do
        run "jsonl.j$j.$k" -j$j --simd=$k --records=jsonl --id-field=id \
            gen.jsonl missing.jsonl gen.jsonl
        names="$names jsonl.j$j.$k"
    done
done
# shellcheck disable=SC2086
set -- $names
first=$1
shift
check "$first" "$@"
for note in "malformed JSON" "no field 'text'" "missing.jsonl: No such"; do
    grep -q "$note" "$tmp/err.$first" ||
        { echo "jsonl: no note '$note'"; status=1; }
done
# A file list in walk order gives the same as the walk itself.
(cd "$tmp" && find fx gen -type f | LC_ALL=C sort) >"$tmp/list"
run list_walk fx gen
(cd "$tmp" && "$bin" -q - <"$tmp/list") >"$tmp/out.list_stdin" \
    2>"$tmp/err.list_stdin"
echo $? >>"$tmp/out.list_stdin"
check list_walk list_stdin
[ $status -eq 0 ] && echo "determinism: ok (kernels: $kernels; -j 1 2 3 8)"
exit $status
