#!/bin/sh
# The whole test suite, as CI runs it (.ci/run).  About 9 minutes on 2
# cores.  Stages:
#   1. release build with warnings as errors: unit, SIMD, stats, golden
#      CLI, docs and fuzz-replay tests, plus every golden case again
#      under valgrind memcheck;
#   2. the same suite but the statistical tests (long loops over code
#      the unit tests cover; 50 s there) built with AddressSanitizer +
#      UndefinedBehaviorSanitizer;
#   3. a build with only the scalar MinHash kernel (-DDUPFIND_SIMD=OFF)
#      and without the SSE2 paths of the tokenizer, JSON and LSH code;
#   4. libFuzzer runs of each fuzz target (FUZZ_SECONDS each, default
#      12; 0 skips), when clang with libFuzzer is available;
#   5. cppcheck and clang-tidy (scripts/lint.sh).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh --test
jobs=$(nproc 2>/dev/null || echo 2)

stage() { printf '\n=== %s\n' "$*"; }

stage "release build, full suite + valgrind"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DDUPFIND_WERROR=ON -DDUPFIND_VALGRIND_TESTS=ON
cmake --build build-test -j"$jobs"
ctest --test-dir build-test --output-on-failure -j"$jobs"

stage "AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DDUPFIND_WERROR=ON \
      -DDUPFIND_SANITIZE=address,undefined
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE stats

# No SIMD at all: besides the scalar MinHash kernel, the portable paths
# that stand in for SSE2 elsewhere (tokenizer, JSON scanner, LSH byte
# compare), as a machine without SSE2 (aarch64) builds them.
stage "scalar kernel only, no SSE2 paths"
cmake -S . -B build-scalar -DDUPFIND_SIMD=OFF -DDUPFIND_WERROR=ON \
      -DCMAKE_C_FLAGS=-U__SSE2__
cmake --build build-scalar -j"$jobs"
ctest --test-dir build-scalar --output-on-failure -j"$jobs"

secs=${FUZZ_SECONDS:-12}
if [ "$secs" -gt 0 ] && command -v clang >/dev/null; then
  stage "libFuzzer, $secs s per target"
  CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DDUPFIND_BUILD_FUZZERS=ON -DDUPFIND_BUILD_CLI=OFF
  cmake --build build-fuzz -j"$jobs" --target fuzz_tokenize fuzz_json fuzz_records
  for t in tokenize json records; do
    work=$(mktemp -d)
    # New inputs go to a scratch copy; the checked-in corpus stays.
    cp tests/fuzz/corpus/$t/* "$work"/
    (cd "$work" && "$OLDPWD/build-fuzz/tests/fuzz/fuzz_$t" \
        -max_total_time="$secs" -max_len=4096 -print_final_stats=1 . \
        2>&1 | tail -n 4)
    rm -rf "$work"
  done
fi

stage "static analysis"
sh scripts/lint.sh
