// Experiments: replications of a line on parallel threads, summarised with Student-t 95%
// intervals. Replication i always uses the streams of replication i, so the results are the same
// for any thread count. Standard library only.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/line_def.hpp"
#include "sim/rep_result.hpp"
#include "sim/stats.hpp"

namespace linetwin::sim {

/// A station's figures over replications.
struct StationSummary {
  Summary utilization, blocked, starved, down, setup, waiting, maintenance, off, queue, oee, power;
};

/// A product's figures over replications.
struct ProductSummary {
  Summary throughput, lead_time, wip, scrap;
  Summary consumed;  // taken by an assembly per time unit (a component's)
};

/// What an experiment measured: every replication, and their summaries.
struct ExperimentResult {
  std::vector<RepResult> reps;    // in replication order
  Summary throughput, lead_time, wip, lost, scrap, power, energy_per_item;
  std::vector<StationSummary> stations;
  std::vector<ProductSummary> products;  // per product index
  std::vector<Summary> workers;   // per worker pool: its utilization
  uint64_t events = 0;            // all replications together
  double wall_s = 0;
  bool unstable = false;          // some replication exceeded RunDef::max_items
  uint32_t deadlocks = 0;         // replications that ended locked for good (RepResult::locked)
  uint32_t threads_used = 1;
};

/// Called from worker threads now and then with the fraction of the experiment done, in [0, 1].
using ProgressFn = std::function<void(double fraction)>;

/// Runs run.replications replications of `line` on run.threads threads (0: all cores).
ExperimentResult run_experiment(const LineDef& line, const RunDef& run,
                                const ProgressFn& progress = {});

/// One replication of a plan: when each job finished (NaN for one that never did: the plan
/// deadlocked on full buffers or transports), and the replication's line figures.
struct PlanRep {
  std::vector<double> job_end;  // per job of the plan
  bool complete = true;         // every job finished
  RepResult line;
};

/// Runs run.replications replications of `line` following `plan`, on run.threads threads; the
/// same for any thread count. The line's random process times and breakdowns apply.
std::vector<PlanRep> run_plan_experiment(const LineDef& line, const RunDef& run, const PlanDef& plan);

/// Summaries of a set of replications (used by run_experiment, and by compare on subsets).
void summarize_reps(ExperimentResult& r, size_t stations);

/// The value of KPI `name` (throughput, lead_time, wip, lost, scrap, power, energy_per_item) in
/// one replication; NaN
/// for a name it does not know.
double kpi_value(const RepResult& r, const std::string& name);

/// The names of the line KPIs every line has, in report order (what surrogates learn); kpi_value
/// knows more (scrap), which a line reports when it has them.
const std::vector<std::string>& kpi_names();

}  // namespace linetwin::sim
