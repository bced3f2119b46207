// Private to tests/fuzz: what a fuzz target does when a property fails. Printing the reason and
// aborting makes libFuzzer keep the input as a crash, like any sanitizer report.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>

namespace linetwin::fuzz {

/// Aborts with `what` when `ok` is false.
inline void check(bool ok, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz property failed: %s\n", what.c_str());
  std::abort();
}

}  // namespace linetwin::fuzz
