// Calibration: a trace of the real line (or of a simulation) read through the mirror, which
// measures each station's process times (per product where the scenario has them per product),
// busy time between failures and repair times, and the line's interarrival times; each fitted
// (fit.hpp) and written back into the scenario as --set-style overrides.
// Not the writing of files (the command line does that) and not the MQTT twin.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"
#include "core/result.hpp"
#include "twin/calibrate/fit.hpp"

namespace linetwin::calibrate {

/// One kind of time of the scenario, observed and fitted.
struct TimeFit {
  std::string path;              // where it goes in the scenario, e.g. "stations.m1.process"
  size_t n = 0;                  // observations
  double mean = 0, sd = 0;       // of the observations, scenario time unit
  sim::Dist model;               // what the scenario says now
  std::vector<DistFit> fits;     // best first; empty when there are too few observations
};

/// What a trace says about a scenario's times.
struct Calibration {
  std::vector<TimeFit> times;
  uint64_t events = 0;           // trace events read
  double duration_s = 0;         // the trace's last time, seconds
  uint64_t out_of_order = 0;     // events that did not fit the mirrored line
};

/// Fewer observations than this leave a time as the scenario has it (a fit from fewer has
/// standard errors of a fifth of its mean or more).
inline constexpr size_t kMinSamples = 30;

/// Reads the trace at `path` and fits every time of `scenario` it observes.
Result<Calibration> calibrate_trace(const std::string& path, const scenarios::Scenario& scenario);

/// The overrides that put the best fits into the scenario.
std::vector<scenarios::Override> calibration_overrides(const Calibration& c);

}  // namespace linetwin::calibrate
