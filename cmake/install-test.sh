#!/bin/sh
# install-test.sh CMAKE CC BUILD_DIR BINDIR LIBDIR INCLUDEDIR MANDIR DATADIR
#                 flags=[CFLAGS]
#
# ctest "install": installs the build tree into a fresh temporary prefix
# ("cmake --install BUILD --prefix TMP") and checks that it works as a
# package: every file in its GNUInstallDirs place, the program runs,
# "man dupfind" finds the page, the bash completion loads, and a small
# program builds against the library through pkg-config and through
# find_package(dupfind).  The *DIR arguments are CMAKE_INSTALL_*DIR,
# relative to the prefix; CFLAGS are compiler and linker flags those
# programs need (-fsanitize=... when the library was built with it).
# Exit 0 ok, 1 failure.
set -u
[ $# -eq 9 ] || {
    echo "usage: $0 CMAKE CC BUILD BINDIR LIBDIR INCLUDEDIR MANDIR" \
         "DATADIR flags=[CFLAGS]" >&2
    exit 2
}
cmake=$1 cc=$2 build=$3 bindir=$4 libdir=$5 incdir=$6 mandir=$7 datadir=$8
cflags=${9#flags=}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dupfind-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
p=$tmp/prefix
fail=0
bad() {
    echo "FAIL: $*"
    fail=1
}

if ! "$cmake" --install "$build" --prefix "$p" >"$tmp/install.log" 2>&1
then
    cat "$tmp/install.log"
    echo "FAIL: cmake --install $build --prefix $p"
    exit 1
fi

for f in "$bindir/dupfind" "$libdir/libdupfind.a" "$incdir/dupfind.h" \
         "$libdir/pkgconfig/dupfind.pc" "$mandir/man1/dupfind.1" \
         "$datadir/bash-completion/completions/dupfind" \
         "$datadir/zsh/site-functions/_dupfind" \
         "$libdir/cmake/dupfind/dupfindConfig.cmake" \
         "$libdir/cmake/dupfind/dupfindConfigVersion.cmake" \
         "$libdir/cmake/dupfind/dupfindTargets.cmake"; do
    [ -f "$p/$f" ] || bad "$f is not installed"
done
# The only header installed is the public one.
n=$(find "$p/$incdir" -type f | wc -l)
[ "$n" -eq 1 ] || bad "$n files under $incdir, expected only dupfind.h"

if ! "$p/$bindir/dupfind" --version >"$tmp/version" 2>&1; then
    bad "dupfind --version failed"
elif ! grep -q '^dupfind [0-9][0-9.]*$' "$tmp/version"; then
    bad "dupfind --version does not start with 'dupfind X.Y.Z'"
fi

if command -v man >/dev/null 2>&1; then
    MANPAGER=cat MANWIDTH=80 man -l "$p/$mandir/man1/dupfind.1" \
        >"$tmp/man.txt" 2>"$tmp/man.err" || bad "man -l dupfind.1 failed"
    grep -q 'dupfind' "$tmp/man.txt" || bad "man -l shows no page"
    # "man dupfind" once the prefix's share/man is on MANPATH.
    page=$(MANPATH=$p/$mandir man -w dupfind 2>/dev/null)
    [ "$page" = "$p/$mandir/man1/dupfind.1" ] ||
        bad "man -w dupfind gives '$page'"
else
    echo "note: man is missing; checked only that the page is installed"
fi

if command -v bash >/dev/null 2>&1; then
    bash -c '. "$1" && complete -p dupfind' sh \
        "$p/$datadir/bash-completion/completions/dupfind" >/dev/null 2>&1 ||
        bad "the bash completion does not load"
fi

mkdir "$tmp/app" || exit 1
cat >"$tmp/app/app.c" <<'EOT'
#include <dupfind.h>
#include <stdio.h>

int main(void)
{
    dupfind_options o;

    dupfind_options_init(&o);
    printf("%s %u\n", dupfind_version(), o.num_perm);
    return 0;
}
EOT
if command -v pkg-config >/dev/null 2>&1; then
    flags=$(PKG_CONFIG_PATH=$p/$libdir/pkgconfig \
            pkg-config --cflags --libs dupfind) ||
        bad "pkg-config does not know dupfind"
    # shellcheck disable=SC2086   # flags are words
    if "$cc" $cflags -o "$tmp/app/app-pc" "$tmp/app/app.c" $flags \
           >"$tmp/pc.log" 2>&1; then
        "$tmp/app/app-pc" >/dev/null || bad "the pkg-config build fails"
    else
        cat "$tmp/pc.log"
        bad "cannot build with pkg-config --cflags --libs dupfind"
    fi
fi

cat >"$tmp/app/CMakeLists.txt" <<'EOT'
cmake_minimum_required(VERSION 3.16)
project(app C)
find_package(dupfind 0.1 REQUIRED)
add_executable(app app.c)
target_link_libraries(app PRIVATE dupfind::dupfind)
EOT
if "$cmake" -S "$tmp/app" -B "$tmp/app/build" -DCMAKE_C_COMPILER="$cc" \
       -DCMAKE_C_FLAGS="$cflags" -DCMAKE_EXE_LINKER_FLAGS="$cflags" \
       -DCMAKE_PREFIX_PATH="$p" >"$tmp/cm.log" 2>&1 &&
   "$cmake" --build "$tmp/app/build" >>"$tmp/cm.log" 2>&1; then
    "$tmp/app/build/app" >/dev/null || bad "the find_package build fails"
else
    cat "$tmp/cm.log"
    bad "cannot build with find_package(dupfind)"
fi

[ "$fail" -eq 0 ] && echo "ok: installed into a temporary prefix and used"
exit "$fail"
