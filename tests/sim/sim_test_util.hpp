// Helpers for the simulator's tests: load a test scenario, run it, compare with theory.
#pragma once
#include <doctest/doctest.h>

#include <cmath>
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
}

}  // namespace linetwin::test
