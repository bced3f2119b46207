#!/usr/bin/env bash
# Builds the libFuzzer targets of the readers (tests/fuzz) with clang into build-fuzz/ and runs
# each for SECONDS (default: $FUZZ_SECONDS, else 30) on a scratch copy of its seeds, so that the
# repository's files are never written. Fails if a target crashes, leaks, hangs, runs out of
# memory or breaks a property, and prints the input that does it (the reproducer: run the target
# on that file alone to see the report again).
# Usage: bash scripts/fuzz.sh [SECONDS]        (scripts/deps.sh installs clang and libFuzzer)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-${FUZZ_SECONDS:-30}}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "fuzz.sh: expected a whole number of seconds per target, got '$seconds'" >&2
  exit 2
fi
targets=(fuzz_scenario fuzz_jobshop fuzz_payload fuzz_model_file)

# Debug with -O1: the library's assertions stay on, and the fuzzer still runs fast.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DLINETWIN_FUZZ=ON -DLINETWIN_TESTS=OFF \
  -DLINETWIN_LTO=OFF -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g" >/dev/null
cmake --build build-fuzz -j "${FUZZ_BUILD_JOBS:-2}" --target "${targets[@]}" make_model_seeds

scratch=build-fuzz/runs
rm -rf "$scratch"
# Copies files into a seed folder under names made from their paths (two "small_line.yaml" differ).
seed() {
  local dir=$1
  shift
  mkdir -p "$dir"
  local f
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/${f//\//_}"
  done
  return 0
}
shopt -s nullglob globstar
seed "$scratch/fuzz_scenario/corpus" scenarios/*.yaml tests/**/*.yaml tests/fuzz/corpus/scenario/*
seed "$scratch/fuzz_jobshop/corpus" assets/jobshop/*.txt tests/optimize/instances/*.txt tests/fuzz/corpus/jobshop/*
seed "$scratch/fuzz_payload/corpus" tests/fuzz/corpus/payload/*
# The trace format's example lines are payloads too (a trace line is one event's JSON).
if [ -f docs/trace_format.md ]; then
  n=0
  while IFS= read -r line; do
    printf '%s' "$line" >"$scratch/fuzz_payload/corpus/trace_format_$((n++)).json"
  done < <(grep -E '^\{"t":' docs/trace_format.md || true)
fi
seed "$scratch/fuzz_model_file/corpus" tests/fuzz/corpus/model_file/*
build-fuzz/fuzz/make_model_seeds "$scratch/fuzz_model_file/corpus"

export UBSAN_OPTIONS=print_stacktrace=1
failed=0
for t in "${targets[@]}"; do
  dir=$scratch/$t
  dict=tests/fuzz/${t#fuzz_}.dict
  args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=16384 -print_final_stats=1
    -artifact_prefix="$dir/")
  [ -f "$dict" ] && args+=(-dict="$dict")
  echo "fuzz: $t for ${seconds} s on $(ls "$dir/corpus" | wc -l) seeds"
  if build-fuzz/fuzz/"$t" "${args[@]}" "$dir/corpus" >"$dir/log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
    echo "fuzz: $t passed: ${runs:-?} inputs, no crash, leak, hang or broken property"
  else
    failed=1
    grep -E 'ERROR|SUMMARY|runtime error|fuzz property failed' "$dir/log" | head -n 5 >&2 || true
    reproducers=("$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*)
    echo "fuzz: $t FAILED; log: $dir/log" >&2
    for r in "${reproducers[@]}"; do
      echo "fuzz: $t reproducer: $r (to see the report again: build-fuzz/fuzz/$t $r)" >&2
    done
    ((${#reproducers[@]})) || echo "fuzz: $t left no reproducer; the log says why" >&2
  fi
done
exit "$failed"
