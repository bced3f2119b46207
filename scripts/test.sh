#!/usr/bin/env bash
# The one command that builds and runs every test (what CI runs, .ci/run):
#   1. the Release build in build/ (scripts/build.sh, which installs what is missing);
#   2. a build with AddressSanitizer and UndefinedBehaviorSanitizer in build-asan/, and the suite
#      run there: memory errors, leaks and undefined behaviour that pass a test unseen;
#   3. the fuzz targets of the readers, each for $FUZZ_SECONDS seconds (default 30; scripts/fuzz.sh);
#   4. last, the whole suite on the Release build, so that ctest's summary closes the output.
# Exits non-zero when any step fails; a failed sanitizer or fuzz step still lets the suite run,
# and is named again at the end. Safe to run again: each build folder is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${TEST_JOBS:-2}
started=$SECONDS
step_started=$SECONDS
failed=()
step() {
  local took=""
  ((SECONDS > started)) && took=" (the step before took $((SECONDS - step_started)) s)"
  step_started=$SECONDS
  echo
  echo "== test.sh $1$took"
}

step "1/4: Release build in build/ (scripts/build.sh)"
bash scripts/build.sh

step "2/4: AddressSanitizer + UBSan build in build-asan/, every test there"
# -O1 keeps the assertions (no NDEBUG) at about a third of Release speed. The whole project is
# built, so that the program the CLI, twin and viewer tests start is checked as well.
sanitize="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" \
  -DLINETWIN_LTO=OFF "-DCMAKE_CXX_FLAGS=$sanitize" "-DCMAKE_EXE_LINKER_FLAGS=$sanitize" \
  "-DCMAKE_SHARED_LINKER_FLAGS=$sanitize" "-DCMAKE_MODULE_LINKER_FLAGS=$sanitize" >/dev/null
# Left out here, run in step 4: the tests that start the program under an address-space limit
# (prlimit --as, ulimit -v) to show that /dev/zero does not make it grow. ASan reserves terabytes
# of address space for its shadow memory at start-up, so under such a limit it cannot start.
asan_skip='/dev/zero'
if cmake --build build-asan -j "$jobs"; then
  if ASAN_OPTIONS=check_initialization_order=1:strict_init_order=1:detect_leaks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" -E "$asan_skip" >build-asan/ctest.log 2>&1; then
    grep -E 'tests passed' build-asan/ctest.log
  else
    grep -E 'tests passed|\(Failed\)|\(Timeout\)|ERROR: |runtime error' build-asan/ctest.log | head -n 40 >&2 || true
    echo "test.sh: the sanitizer tests failed; the whole log is build-asan/ctest.log" >&2
    failed+=("sanitizer tests")
  fi
else
  failed+=("sanitizer build")
fi

step "3/4: fuzz targets, ${FUZZ_SECONDS:-30} s each (scripts/fuzz.sh)"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-30}" || failed+=("fuzzing")

step "4/4: the whole suite in build/ (ctest)"
if ((${#failed[@]})); then
  ctest --test-dir build --output-on-failure -j "$jobs" || true
  echo "test.sh: FAILED: ${failed[*]} (see above)" >&2
  exit 1
fi
ctest --test-dir build --output-on-failure -j "$jobs"
