#!/bin/sh
# examples.sh DUPFIND MANPAGE FIXTURES WORKDIR
#
# Runs the examples of the man page that are marked with a comment
#
#   .\" example: NAME [needs=TOOL] [status=N,M] [empty=ok]
#
# just before their .nf ... .fi block.  Each runs with sh in WORKDIR,
# where docs/, content/ and notes/ hold a copy of FIXTURES (when it has
# files) or of a small corpus made here, corpus.jsonl holds generated
# records, and "dupfind" on PATH is the binary under test.  An example must end with one of the statuses
# listed (default 0).  On the generated corpus, whose answers are known,
# an example ending with 0 must also print nothing on standard error,
# and something on standard output unless it says empty=ok.  Examples needing a missing tool (jq) are skipped; the
# test exits 77 when every example was skipped.

set -u
bin=${1:?usage: examples.sh DUPFIND MANPAGE FIXTURES WORKDIR}
page=${2:?usage: examples.sh DUPFIND MANPAGE FIXTURES WORKDIR}
fixtures=${3:?usage: examples.sh DUPFIND MANPAGE FIXTURES WORKDIR}
work=${4:?usage: examples.sh DUPFIND MANPAGE FIXTURES WORKDIR}

case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
rm -rf "$work" && mkdir -p "$work/bin" "$work/examples" || exit 1
ln -s "$bin" "$work/bin/dupfind" || exit 1

# A corpus with known answers: two near-identical pages, a lightly
# edited copy, an excerpt, and unrelated text; .md and .txt files.
make_corpus() {
    mkdir -p "$1/guide" "$1/misc" || return 1
    awk -v out="$1" '
        function text(seed, n,    i, s, x) {
            s = ""; x = seed
            for (i = 0; i < n; i++) {
                x = (x * 1103515245 + 12345) % 2147483648
                s = s sprintf("%s%s", i ? (i % 12 ? " " : ".\n") : "",
                              w[int(x / 65536) % nw + 1])
            }
            return s "\n"
        }
        BEGIN {
            nw = split("alpha beta gamma delta river stone paper light " \
                       "window garden orange silver north music table " \
                       "signal forest copper winter candle market bridge " \
                       "engine harbor lemon violet shadow thunder meadow " \
                       "pencil rocket castle mirror planet", w, " ")
            a = text(1, 400); b = text(2, 300); c = text(3, 250)
            printf "%s", a > (out "/guide/install.md")
            printf "%s", toupper(a) > (out "/guide/install-old.md")
            n = split(b, t, " ")
            for (i = 1; i <= n; i++)
                printf "%s%s", (i % 40 == 0 ? "edited" : t[i]),
                       (i < n ? " " : "\n") > (out "/guide/usage.md")
            printf "%s", b > (out "/guide/usage.txt")
            n = split(a, t, " ")
            for (i = 101; i <= 220; i++)
                printf "%s%s", t[i], (i < 220 ? " " : "\n") \
                    > (out "/misc/quote.txt")
            printf "%s", c > (out "/misc/unrelated.txt")
        }'
}

if [ -d "$fixtures" ] && [ -n "$(find "$fixtures" -type f | head -n 1)" ]
then
    echo "corpus: $fixtures"
    cp -R "$fixtures" "$work/docs" || exit 1
    generated=0
else
    echo "corpus: generated ($fixtures has no files)"
    make_corpus "$work/docs" || exit 1
    generated=1
fi
cp -R "$work/docs" "$work/content" && cp -R "$work/docs" "$work/notes" ||
    exit 1

# corpus.jsonl for the --records examples: 40 records, of which every
# fifth repeats the one before it with one word changed.
awk 'BEGIN {
    nw = split("alpha beta gamma delta river stone paper light window " \
               "garden orange silver north music table signal forest", w, " ")
    x = 7
    for (r = 1; r <= 40; r++) {
        if (r % 5 == 0) { sub(/^[a-z]+/, "changed", t) }
        else {
            t = ""
            for (i = 0; i < 60; i++) {
                x = (x * 1103515245 + 12345) % 2147483648
                t = t (i ? " " : "") w[int(x / 65536) % nw + 1]
            }
        }
        printf "{\"id\":\"rec-%02d\",\"text\":\"%s\"}\n", r, t
    }
}' >"$work/corpus.jsonl" || exit 1

# Cut the marked examples out of the page, undoing the roff escapes
# used in them.  Writes examples/NAME.sh and a list of
# "NAME needs status empty".
awk -v dir="$work/examples" '
    /^\.\\" example:/ {
        name = $3; needs = "-"; status = "0"; empty = "no"
        for (i = 4; i <= NF; i++) {
            if ($i ~ /^needs=/) needs = substr($i, 7)
            if ($i ~ /^status=/) status = substr($i, 8)
            if ($i ~ /^empty=/) empty = substr($i, 7)
        }
        want = 1; next
    }
    want && /^\.nf/ { copying = 1; want = 0; file = dir "/" name ".sh"
                      printf "" > file; next }
    copying && /^\.fi/ { copying = 0; close(file)
                         print name, needs, status, empty; next }
    copying { print > file }
' "$page" >"$work/list" || exit 1
for f in "$work"/examples/*.sh; do
    [ -f "$f" ] || continue
    sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\\&//g' \
        -e 's/\\e/\\/g' "$f" >"$f.tmp" && mv "$f.tmp" "$f" || exit 1
done

total=0 ran=0 failed=0
while read -r name needs status empty; do
    total=$((total + 1))
    if [ "$needs" != "-" ] && ! command -v "$needs" >/dev/null 2>&1; then
        echo "skip: example '$name' needs $needs, which is not installed"
        continue
    fi
    ran=$((ran + 1))
    (cd "$work" && PATH="$work/bin:$PATH" sh "examples/$name.sh" \
        >"examples/$name.out" 2>"examples/$name.err")
    rc=$?
    ok=0
    for s in $(echo "$status" | tr ',' ' '); do
        [ "$rc" = "$s" ] && ok=1
    done
    why=""
    if [ "$ok" -ne 1 ]; then
        why="exit status $rc, expected $status"
    elif [ "$generated" -eq 1 ] && [ "$rc" -eq 0 ]; then
        if [ "$empty" != ok ] && [ ! -s "$work/examples/$name.out" ]; then
            why="no output on the generated corpus"
        elif [ -s "$work/examples/$name.err" ]; then
            why="wrote to standard error"
        fi
    fi
    if [ -n "$why" ]; then
        failed=$((failed + 1))
        echo "FAIL: example '$name': $why" >&2
        sed 's/^/  | /' "$work/examples/$name.sh" >&2
        echo "  stdout:" >&2; sed 's/^/  > /' "$work/examples/$name.out" >&2
        echo "  stderr:" >&2; sed 's/^/  ! /' "$work/examples/$name.err" >&2
    else
        echo "ok: example '$name' (exit $rc," \
             "$(wc -l <"$work/examples/$name.out" | tr -d ' ') lines)"
    fi
done <"$work/list"

if [ "$total" -eq 0 ]; then
    echo "FAIL: no marked examples found in $page" >&2
    exit 1
fi
[ "$failed" -gt 0 ] && exit 1
[ "$ran" -eq 0 ] && exit 77
exit 0
