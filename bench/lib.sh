# bench/lib.sh - what the benchmark scripts share; sourced, with $root
# set to the source tree.

# bench_build DIR LOG TARGET...: configures DIR as a release build
# without tests unless it is configured already, then builds the
# targets; the build's output goes to LOG, shown (and exit 2) when it
# fails.
bench_build() {
    bb_dir=$1
    bb_log=$2
    shift 2
    if [ ! -f "$bb_dir/CMakeCache.txt" ]; then
        cmake -S "$root" -B "$bb_dir" -DCMAKE_BUILD_TYPE=Release \
              -DDUPFIND_BUILD_TESTS=OFF >/dev/null
    fi
    cmake --build "$bb_dir" -j"$(nproc)" --target "$@" >"$bb_log" 2>&1 ||
        { cat "$bb_log" >&2; exit 2; }
}
