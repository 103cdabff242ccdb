#!/bin/sh
# run_golden.sh DUPFIND_BINARY CASE_DIR [--update]
#
# Runs one golden CLI case.  CASE_DIR holds:
#   cmd     a sh script; it runs in a fresh, empty scratch directory
#           (removed afterwards) with stdin from /dev/null, LC_ALL=C and
#           the environment variables
#             DUPFIND   absolute path of the dupfind binary
#             FIXTURES  absolute path of the fixtures/ directory
#   stdout  expected standard output of cmd, byte for byte
#   stderr  expected standard error
#   exit    expected exit status of cmd, as a number and a newline
#   xfail   (optional) the expected files describe the right behaviour,
#           which the program does not have yet (a known bug); its first
#           line says why.  Such a case passes (exit 0, "XFAIL") while
#           the output differs and fails once the program matches:
#           then delete xfail.
#
# The three results are compared with the expected files; a mismatch is
# shown as a unified diff and makes the exit status 1.  With --update the
# expected files are rewritten from this run instead (then read them and
# check that what they record is right before committing).
#
# FIXTURES may be set in the environment; by default it is the fixtures/
# directory of the source tree this script belongs to.
#
# DUPFIND_WRAP, when set, is a command put in front of every dupfind
# run, e.g. "valgrind -q --error-exitcode=99 --leak-check=full": the case
# sees a wrapper script as $DUPFIND.  Whatever the wrapper reports (on
# stderr) or its own exit status makes the case fail.
set -u

usage() {
    echo "usage: $0 DUPFIND_BINARY CASE_DIR [--update]" >&2
    exit 2
}

update=
case $# in
2) ;;
3) [ "$3" = --update ] || usage; update=1 ;;
*) usage ;;
esac

bin=$1
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
    echo "$0: $1: not an executable file" >&2
    exit 2
fi
casedir=$(cd "$2" 2>/dev/null && pwd) || {
    echo "$0: $2: no such case directory" >&2
    exit 2
}
if [ ! -f "$casedir/cmd" ]; then
    echo "$0: $casedir: no cmd file" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
fixtures=${FIXTURES:-$here/../../fixtures}
fixtures=$(cd "$fixtures" 2>/dev/null && pwd) || {
    echo "$0: fixtures directory not found: $fixtures" >&2
    exit 2
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dupfind-golden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir "$tmp/work" "$tmp/out" || exit 2
if [ -n "${DUPFIND_WRAP:-}" ]; then
    printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$DUPFIND_WRAP" "$bin" \
        >"$tmp/dupfind" && chmod +x "$tmp/dupfind" || exit 2
    bin=$tmp/dupfind
fi

# Outputs go outside the scratch directory so that a case walking "."
# does not see them.
(
    cd "$tmp/work" || exit 125
    DUPFIND=$bin FIXTURES=$fixtures LC_ALL=C TZ=UTC
    export DUPFIND FIXTURES LC_ALL TZ
    unset DUPFIND_SIMD LANG LANGUAGE
    exec sh "$casedir/cmd"
) </dev/null >"$tmp/out/stdout" 2>"$tmp/out/stderr"
echo $? >"$tmp/out/exit"

name=$(basename "$casedir")
if [ -n "$update" ]; then
    if [ -f "$casedir/xfail" ]; then
        echo "$name: marked xfail; its expected files are written by hand" \
             "(not updated)" >&2
        exit 2
    fi
    for f in stdout stderr exit; do
        cp "$tmp/out/$f" "$casedir/$f" || exit 2
    done
    echo "$name: updated (exit $(cat "$tmp/out/exit")); read the files before committing"
    exit 0
fi

status=0
for f in exit stdout stderr; do
    if [ ! -f "$casedir/$f" ]; then
        echo "$name: expected file $f is missing (run with --update)"
        status=1
    elif ! cmp -s "$casedir/$f" "$tmp/out/$f"; then
        echo "$name: $f differs (--- expected, +++ actual):"
        diff -u "$casedir/$f" "$tmp/out/$f"
        status=1
    fi
done
if [ -f "$casedir/xfail" ]; then
    if [ $status -ne 0 ]; then
        echo "$name: XFAIL (known bug): $(sed -n 1p "$casedir/xfail")"
        exit 0
    fi
    echo "$name: passes although marked xfail: delete $casedir/xfail"
    exit 1
elif [ $status -eq 0 ]; then
    echo "$name: ok"
fi
exit $status
