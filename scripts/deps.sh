#!/usr/bin/env bash
# Installs the Debian packages linetwin needs, and only those missing. Safe to run again.
# python3-simpy is for the benchmark's SimPy reference (tests/bench/simpy_line.py); the viewer
# needs GLFW, Dear ImGui, Bullet and, for its headless tests, Xvfb with Mesa's software OpenGL;
# the surrogates LibTorch and Eigen, and OpenBLAS (single-threaded), which replaces the reference
# BLAS that LibTorch would otherwise call (training and prediction about five times faster); the
# twin libmosquitto and, for its tests, the mosquitto broker
# (mosquitto-clients gives mosquitto_sub, to watch what the twin publishes).
# Run as root on Debian 12 (or with sudo available).
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config libyaml-cpp-dev doctest-dev python3-simpy
  libglfw3-dev libimgui-dev libbullet-dev libgl-dev libpng-dev xvfb xauth libgl1-mesa-dri
  libtorch-dev libopenblas0-serial libeigen3-dev libmosquitto-dev mosquitto mosquitto-clients
  libcli11-dev nlohmann-json3-dev libfmt-dev libglm-dev
  clang libclang-rt-14-dev libfuzzer-14-dev)
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
