#!/bin/sh
# Installs the Debian/Ubuntu packages dupfind needs to build and test.
# Run as root or with sudo available.  Safe to run again: only missing
# packages are installed.
#
#   sh scripts/install-deps.sh          build + run dupfind
#   sh scripts/install-deps.sh --test   also what the test suite uses
#                                       (valgrind, clang with
#                                       libFuzzer, cppcheck, clang-tidy,
#                                       man/groff for the man page test)
set -eu
PKGS="cmake make gcc pkg-config libxxhash-dev libutf8proc-dev libcmocka-dev"
if [ "${1:-}" = --test ]; then
  PKGS="$PKGS valgrind clang libclang-rt-dev cppcheck
        clang-tidy man-db groff-base"
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing="$missing $p"
done
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi
