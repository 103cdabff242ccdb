#!/bin/sh
# Static analysis of the project's own code, as CI runs it.
#
# cppcheck: warning, performance and portability checks, C11.
#   Suppressed: sizeofDivisionMemfunc in options.c (a false positive on
#   memset(&longopts[NOPTS], 0, sizeof(longopts[NOPTS])), NOPTS being a
#   sizeof quotient).
# clang-tidy: clang-analyzer-* and bugprone-*, without
#   - clang-analyzer-valist.Uninitialized (clang 14 misreads va_start),
#   - clang-analyzer-security.insecureAPI.* (wants C11 Annex K calls),
#   - clang-analyzer-optin.* (padding advice),
#   - bugprone-easily-swappable-parameters, -reserved-identifier,
#     -narrowing-conversions, -implicit-widening-of-multiplication-result,
#     -branch-clone (style, or noisy on deliberate integer code).
#   The NEON kernel is only analysed on aarch64.
# Usage: sh scripts/lint.sh [BUILD_DIR]   (a configured build with
# compile_commands.json and no link-time optimisation, whose GCC flags
# clang-tidy rejects; one is made in build-lint if none is given)
set -eu
cd "$(dirname "$0")/.."
bdir=${1:-build-lint}
if [ ! -f "$bdir/compile_commands.json" ]; then
  cmake -S . -B "$bdir" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
        -DDUPFIND_BUILD_TESTS=OFF -DDUPFIND_LTO=OFF >/dev/null
fi
srcs=$(ls src/*.c src/cli/*.c)
case "$(uname -m)" in
  aarch64|arm64) ;;
  *) srcs=$(echo "$srcs" | grep -v sketch_neon) ;;
esac
status=0
cppcheck --enable=warning,performance,portability --std=c11 \
  --inline-suppr --quiet --error-exitcode=1 \
  --suppress=sizeofDivisionMemfunc:src/cli/options.c \
  -I include -I src -I src/cli $srcs || status=1
checks='-*,clang-analyzer-*,-clang-analyzer-valist.Uninitialized'
checks="$checks,-clang-analyzer-security.insecureAPI.*"
checks="$checks,-clang-analyzer-optin.*,bugprone-*"
checks="$checks,-bugprone-easily-swappable-parameters"
checks="$checks,-bugprone-reserved-identifier"
checks="$checks,-bugprone-narrowing-conversions"
checks="$checks,-bugprone-implicit-widening-of-multiplication-result"
checks="$checks,-bugprone-branch-clone"
# shellcheck disable=SC2086
clang-tidy -p "$bdir" --quiet --checks="$checks" --warnings-as-errors='*' \
  $srcs 2>/dev/null || status=1
exit $status
