#!/usr/bin/env bash
# Installs the Debian packages linetwin needs, and only those missing. Safe to run again.
# python3-simpy is for the benchmark's SimPy reference (tests/bench/simpy_line.py).
# Run as root on Debian 12 (or with sudo available).
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config libyaml-cpp-dev doctest-dev python3-simpy)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
