#!/usr/bin/env bash
# Installs what is missing and builds linetwin in Release into build/ with 2 jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j 2
