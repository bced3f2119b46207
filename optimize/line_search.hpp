// Searching a line's factors for the best objective. Grid, random, simulated annealing and a
// genetic algorithm evaluate with the simulator (anneal and ga may let a surrogate choose what to
// simulate); the gradient method follows a neural surrogate's gradient from several starts,
// rounds integer factors and verifies its best candidates with the simulator. Every evaluation
// is the scenario's replications with its seed, so a reported figure is what `linetwin run`
// prints for that setting. Not the job shop (solve.hpp) nor the order plans (line_plan.hpp).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"
#include "sim/experiment.hpp"
#include "core/result.hpp"
#include "surrogates/model.hpp"
#include "surrogates/sampling.hpp"

namespace linetwin::optimize {

enum class LineMethod { kGrid, kRandom, kAnneal, kGa, kGradient };

/// "grid", "random", "anneal", "ga" or "gradient"; nullopt for anything else.
std::optional<LineMethod> line_method(const std::string& name);
/// The method's name, as accepted by line_method().
std::string line_method_name(LineMethod method);
/// The method `optimize` uses when none is asked for: gradient, the best of them on the example
/// lines (README); with a budget too small to train a surrogate and none given, anneal instead.
LineMethod default_line_method();
/// The smallest budget with which the gradient method can train its own surrogate.
inline constexpr uint64_t kMinGradientBudget = 14;

struct LineSearchOptions {
  LineMethod method = default_line_method();
  uint64_t budget = 100;   // simulator runs at most (each the scenario's replications)
  uint64_t seed = 1;       // of the search's own random choices
  uint32_t threads = 0;    // 0: all cores
  /// gradient: the surrogate to follow (else one is trained on part of the budget); anneal and
  /// ga: ranks candidates so that only the promising ones are simulated. Not owned.
  const surrogates::SurrogateModel* surrogate = nullptr;
  sim::ProgressFn progress;
};

/// One simulated setting of the factors.
struct LinePoint {
  std::vector<double> x;       // factor values, in the scenario's factor order
  double objective = 0;        // the KPI's mean minus costs (plus when minimizing)
  sim::ExperimentResult result;
  bool feasible = true;        // false when the line was unstable or the KPI undefined
};

struct LineSearchResult {
  LinePoint best, baseline;    // baseline: the scenario's own values
  uint64_t evaluations = 0;    // simulator runs, all of them (a surrogate's training points too)
  uint64_t surrogate_samples = 0;  // of which spent on training a surrogate
  std::vector<double> trace;   // the best objective after each simulator run
  LineMethod method = LineMethod::kGrid;
  double wall_s = 0;
};

/// Searches `sampler`'s factors for the best value of the scenario's objective with at most
/// options.budget simulator runs. A scenario without objective is an Error.
Result<LineSearchResult> optimize_line(const surrogates::ScenarioSampler& sampler,
                                       const LineSearchOptions& options);

/// Where a surrogate puts the best objective over the factors' box: projected gradient ascent
/// from `starts` points of a Latin hypercube, integer factors relaxed and not rounded. No
/// simulation: the surrogate's own answer.
Result<std::vector<double>> surrogate_optimum(const surrogates::SurrogateModel& model,
                                              const std::vector<scenarios::Factor>& factors,
                                              const scenarios::Objective& objective, uint64_t seed,
                                              size_t starts = 24);

/// The objective at factor values x when the objective's KPI is `kpi`: the KPI minus the costs
/// when maximizing, plus them when minimizing.
double objective_value(const scenarios::Objective& objective, const std::vector<scenarios::Factor>& factors,
                       const double* x, double kpi);

}  // namespace linetwin::optimize
