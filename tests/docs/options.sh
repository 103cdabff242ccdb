#!/bin/sh
# options.sh DUPFIND MANPAGE
#
# The options of "dupfind --help" and of the man page must agree:
#  1. the OPTIONS section has one entry (the line after .TP) per option
#     of --help, with the same long name and the same short form;
#  2. every --name written anywhere in the man page is an option of
#     --help, so no paragraph or example refers to a removed option.
# POSIX sh, sed and awk only.

set -u
bin=${1:?usage: options.sh DUPFIND MANPAGE}
page=${2:?usage: options.sh DUPFIND MANPAGE}
tmp=${TMPDIR:-/tmp}/dupfind-docs-options.$$
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
mkdir "$tmp" || exit 1
fail=0

if ! "$bin" --help >"$tmp/help" 2>"$tmp/help.err"; then
    echo "FAIL: '$bin --help' did not exit with status 0" >&2
    cat "$tmp/help.err" >&2
    exit 1
fi

# "long short" per option line of --help; short is "-" when there is
# none.  Option lines start with spaces and "-X, --name" or "--name".
sed -n \
    -e 's/^ \{1,\}-\([A-Za-z0-9]\), --\([A-Za-z0-9][A-Za-z0-9-]*\).*/\2 \1/p' \
    -e 's/^ \{1,\}--\([A-Za-z0-9][A-Za-z0-9-]*\).*/\1 -/p' \
    "$tmp/help" | LC_ALL=C sort >"$tmp/help.opts"
if [ ! -s "$tmp/help.opts" ]; then
    echo "FAIL: found no option lines in '$bin --help'" >&2
    exit 1
fi
cut -d ' ' -f 1 "$tmp/help.opts" >"$tmp/help.long"

# The man page with roff escapes that can sit inside option names
# removed: \- becomes -, font changes and \& vanish.
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' "$page" \
    >"$tmp/page.txt"

# Tags of the OPTIONS section: the line after each .TP.
awk '
    /^\.SH/ { in_opts = ($0 ~ /^\.SH +"?OPTIONS"?$/); next }
    in_opts && tag { print; tag = 0; next }
    in_opts && /^\.TP/ { tag = 1 }
' "$tmp/page.txt" >"$tmp/tags"
if [ ! -s "$tmp/tags" ]; then
    echo "FAIL: no .TP entries under .SH OPTIONS in $page" >&2
    exit 1
fi

# "long short" per tag, as for --help.
awk '
    {
        long = ""; short = "-"; line = $0
        while (match(line, /--[A-Za-z0-9][A-Za-z0-9-]*/)) {
            if (long == "") long = substr(line, RSTART + 2, RLENGTH - 2)
            line = substr(line, RSTART + RLENGTH)
        }
        line = " " $0 " "
        while (match(line, /[^-A-Za-z0-9]-[A-Za-z0-9][^-A-Za-z0-9]/)) {
            if (short == "-") short = substr(line, RSTART + 2, 1)
            line = substr(line, RSTART + RLENGTH - 1)
        }
        if (long == "")
            printf "untagged: %s\n", $0 > "/dev/stderr"
        else
            print long, short
    }
' "$tmp/tags" | LC_ALL=C sort >"$tmp/page.opts"

if ! cmp -s "$tmp/help.opts" "$tmp/page.opts"; then
    echo "FAIL: options of --help (<) and of the OPTIONS section of" \
         "the man page (>) differ, as \"long short\":" >&2
    diff "$tmp/help.opts" "$tmp/page.opts" >&2
    fail=1
fi

# Every --name anywhere in the page must be an option of --help.
awk '
    {
        line = $0
        while (match(line, /--[A-Za-z0-9][A-Za-z0-9-]*/)) {
            print substr(line, RSTART + 2, RLENGTH - 2)
            line = substr(line, RSTART + RLENGTH)
        }
    }
' "$tmp/page.txt" | LC_ALL=C sort -u >"$tmp/page.long"
LC_ALL=C sort -u "$tmp/help.long" >"$tmp/help.long.sorted"
unknown=$(LC_ALL=C comm -23 "$tmp/page.long" "$tmp/help.long.sorted")
if [ -n "$unknown" ]; then
    echo "FAIL: the man page names options that --help does not list:" >&2
    printf '  --%s\n' $unknown >&2
    fail=1
fi

if [ "$fail" -eq 0 ]; then
    echo "ok: $(wc -l <"$tmp/help.opts" | tr -d ' ') options agree" \
         "between --help and $page"
fi
exit "$fail"
