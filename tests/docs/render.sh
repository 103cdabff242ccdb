#!/bin/sh
# render.sh MANPAGE
#
# The man page must format without any groff warning (-ww enables them
# all) for UTF-8 and for plain ASCII terminals, and fit 80 columns.
# When man(1) is installed, "man -l" must format it quietly as well.
# Exits 77 (skipped) when groff is not installed.

set -u
page=${1:?usage: render.sh MANPAGE}
fail=0

if ! command -v groff >/dev/null 2>&1; then
    echo "SKIP: groff is not installed (apt-get install groff)"
    exit 77
fi

for dev in utf8 ascii; do
    warnings=$(groff -man -T"$dev" -ww -z "$page" 2>&1)
    if [ -n "$warnings" ]; then
        echo "FAIL: groff -man -T$dev -ww reports:" >&2
        printf '%s\n' "$warnings" >&2
        fail=1
    fi
done

# Plain text, 80 columns, no bold/underline/overstrike: what a user sees.
long=$(groff -man -Tascii -rLL=80n -P-cbou "$page" 2>/dev/null |
       awk 'length($0) > 80 { printf "%d: %s\n", NR, $0 }')
if [ -n "$long" ]; then
    echo "FAIL: lines wider than 80 columns in the formatted page:" >&2
    printf '%s\n' "$long" >&2
    fail=1
fi

# man-db's man passes --warnings on to groff; other man(1)s may not.
if command -v man >/dev/null 2>&1 &&
   man --help 2>&1 | grep -q -e '--warnings'; then
    err=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    if [ -n "$err" ]; then
        echo "FAIL: man -l reports:" >&2
        printf '%s\n' "$err" >&2
        fail=1
    fi
else
    echo "note: man-db is not installed; checked with groff only"
fi

[ "$fail" -eq 0 ] && echo "ok: $page formats cleanly"
exit "$fail"
