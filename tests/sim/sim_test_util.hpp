// Helpers for the simulator's tests: load a test scenario, run it, compare with theory.
#pragma once
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "scenarios/scenario.hpp"
#include "sim/experiment.hpp"
#include "sim/line.hpp"

namespace linetwin::test {

/// Loads tests/sim/scenarios/NAME with overrides; fails the test if it does not load.
inline scenarios::Scenario load_test_scenario(const std::string& name,
                                              const std::vector<scenarios::Override>& o = {}) {
  auto sc = scenarios::load_scenario(std::string(LINETWIN_SOURCE_DIR) + "/tests/sim/scenarios/" + name, o);
  if (!sc) FAIL(sc.error().message());
  return *sc;
}

/// A replicated estimate agrees with theory: within 4 standard errors, and within 3%.
inline void check_theory(const char* what, const sim::Summary& s, double theory) {
  INFO(what << ": simulated " << s.mean << " ± " << s.half_width << " (se " << s.se()
            << "), theory " << theory);
  CHECK(std::fabs(s.mean - theory) <= 4 * s.se());
  CHECK(std::fabs(s.mean - theory) <= 0.03 * std::fabs(theory));
  // LINETWIN_THEORY_REPORT=1 lists every comparison, for the figures docs/testing.md quotes
  // (after the checks: doctest with -s names the test case at its first check).
  if (std::getenv("LINETWIN_THEORY_REPORT")) {  // on std::cout, where doctest writes, to keep their order
    char line[512];
    std::snprintf(line, sizeof line, "theory | %s | simulated %.6g | theory %.6g | relative error %.3f%% | %.2f se\n", what,
                  s.mean, theory, theory != 0 ? 100 * std::fabs(s.mean - theory) / std::fabs(theory) : 0.0,
                  s.se() > 0 ? std::fabs(s.mean - theory) / s.se() : 0.0);
    std::cout << line << std::flush;
  }
}

}  // namespace linetwin::test
