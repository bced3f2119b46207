// Simulating a scenario at points of its factor space: the scenario's text is read once and
// re-read with one override per factor for each point, so that every point is checked exactly
// like a file. Sweeps run many points on all cores. Torch-free; not a model of anything.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"
#include "sim/experiment.hpp"
#include "core/result.hpp"
#include "surrogates/dataset.hpp"
#include "surrogates/design.hpp"

namespace linetwin::surrogates {

/// A scenario read once, simulated at any setting of its factors.
class ScenarioSampler {
 public:
  /// Keeps `loaded` (already read with `overrides` and with its run settings as wanted) and
  /// reads its file's text again for the points; a scenario without factors is an Error.
  static Result<ScenarioSampler> open(const scenarios::Scenario& loaded,
                                      const std::vector<scenarios::Override>& overrides);
  /// The same from text in memory (tests).
  static Result<ScenarioSampler> from_text(const std::string& text, const std::string& file,
                                           const sim::RunDef* run = nullptr);

  /// The scenario at its own values, with the run settings every point uses.
  const scenarios::Scenario& scenario() const { return base_; }
  /// The factors, in the scenario's order (the order of a point's values).
  const std::vector<scenarios::Factor>& factors() const { return base_.factors; }
  /// The run settings of every point (replications, horizon, seed; threads is set per call).
  sim::RunDef& run() { return base_.run; }
  /// The same, read-only.
  const sim::RunDef& run() const { return base_.run; }

  /// The scenario with factor j at x[j]; a value the scenario refuses is an Error.
  Result<scenarios::Scenario> at(const double* x) const;
  /// Simulates the line at x on `threads` threads (0: all cores); an unstable line is reported
  /// in the result, not as an Error.
  Result<sim::ExperimentResult> simulate(const double* x, uint32_t threads) const;

  /// "path=value, path=value" for messages.
  std::string describe(const double* x) const;

 private:
  scenarios::Scenario base_;
  std::string text_;
  std::vector<scenarios::Override> overrides_;
};

/// Simulates every point of `design` (rows in design order) on `threads` threads (0: all
/// cores): points in parallel when there are enough of them, else replications. The results do
/// not depend on the thread count. A point the simulator finds unstable gets NaN KPIs.
/// `progress` is called with the fraction done.
Result<Dataset> sweep(const ScenarioSampler& sampler, const Design& design, uint32_t threads,
                      const sim::ProgressFn& progress = {});

/// The KPI means and half-widths of one experiment, in sim::kpi_names() order (NaN if unstable).
void kpi_row(const sim::ExperimentResult& r, double* mean, double* ci95);

}  // namespace linetwin::surrogates
