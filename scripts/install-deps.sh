#!/bin/sh
# Installs the Debian/Ubuntu packages dupfind needs to build and test.
# Run as root or with sudo available.  Safe to run again.
set -eu
PKGS="cmake make gcc pkg-config libxxhash-dev libutf8proc-dev libcmocka-dev"
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
