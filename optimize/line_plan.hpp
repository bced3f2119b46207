// Plans for the line: orders scheduled onto the stations' machines. Each unit of an order is a job
// through its product's route; a station with several identical machines offers each operation a
// choice (a flexible job shop); a transport between two stations adds its mean travel time between
// the operations. Process times are the stations' means; a changeover (setup, setup_matrix) takes
// its mean whenever a machine's product changes, and a station on a calendar works only in its
// working time, pausing what it does off shift, as in the simulator. The search minimizes the
// makespan or the total weighted tardiness. Not here: executing the plan
// (sim::LineSim::follow_plan).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/line_def.hpp"
#include "core/result.hpp"

namespace linetwin::optimize {

enum class PlanObjective : uint8_t { kMakespan, kWeightedTardiness };

struct PlanOptions {
  PlanObjective objective = PlanObjective::kMakespan;
  double time_limit_s = 10;  // from the call on: building the problem and the first plans count too
  int64_t iterations = 0;  // per thread; 0: bounded by the time limit only (then not reproducible)
  uint64_t seed = 1;
  uint32_t threads = 0;    // 0: all cores
  std::function<double()> clock;  // seconds, read from every thread; empty: std::chrono::steady_clock
};

/// One operation of a planned job.
struct PlannedOp {
  uint32_t station = 0;
  uint32_t machine = 0;    // global: the stations' machines numbered one after another
  double start = 0, end = 0;  // the operation's; on a calendar it spans its off time too
  double setup = 0;        // the changeover before it (its mean; in working time), ending at start
};

/// One unit of an order going through its route.
struct PlannedJob {
  uint32_t order = 0;
  uint32_t product = 0;
  double release = 0;
  std::vector<PlannedOp> ops;  // in route order
};

struct LinePlan {
  std::vector<PlannedJob> jobs;           // order by order, unit by unit
  std::vector<double> order_completion;   // when each order's last unit is finished
  double makespan = 0;
  double weighted_tardiness = 0;          // sum over orders of weight * max(0, completion - due)
  double lower_bound = 0;                 // on the makespan
  int64_t iterations = 0;                 // all threads together
  uint32_t threads = 1;
};

/// Plans `orders` on `line` (which check_line accepts); orders without units or with unknown
/// products are an Error.
Result<LinePlan> plan_orders(const sim::LineDef& line, const std::vector<sim::OrderDef>& orders,
                             const PlanOptions& options);

/// The plan as the simulator follows it: jobs with their releases, machines' sequences by start.
sim::PlanDef plan_for_sim(const sim::LineDef& line, const LinePlan& plan);

/// Order completions, makespan and weighted tardiness from each job's finishing time.
void plan_objectives(const std::vector<sim::OrderDef>& orders, const std::vector<PlannedJob>& jobs,
                     const std::vector<double>& job_end, std::vector<double>& order_completion,
                     double& makespan, double& weighted_tardiness);

/// Why `plan` is not a valid plan of `orders` on `line` (route order, releases, durations, machines
/// of the right station, overlaps, claimed figures), or "" when it is.
std::string check_plan(const sim::LineDef& line, const std::vector<sim::OrderDef>& orders, const LinePlan& plan);

}  // namespace linetwin::optimize
