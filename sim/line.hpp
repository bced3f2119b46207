// The line model: one replication of a production line as a discrete-event simulation. Sources
// release items, stations with parallel machines and finite buffers process them with blocking
// after service, transports carry them between station pairs, machines break down.
// Not here: parsing (scenarios/), replications and intervals (experiment.hpp), the kernel's state
// and event loop (sim/detail/, private).
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "sim/line_def.hpp"
#include "sim/line_state.hpp"
#include "sim/observer.hpp"
#include "sim/rep_result.hpp"

namespace linetwin::sim {

namespace detail {
class LineKernel;
}

/// A product whose bill of materials needs itself through its components (its index), or -1.
long bom_cycle(const LineDef& line);

/// Checks what the simulator relies on (ids in range, routes non-empty, ...). Returns an empty
/// string when the definition is sound, else what is wrong. scenarios/ gives users better words.
std::string check_line(const LineDef& line);

/// One replication of a line. The kernel behind it runs whole slices of the simulation (run,
/// run_until) without calling back through this interface.
class LineSim {
 public:
  /// Prepares replication `replication` of `line`, which must outlive the run and pass
  /// check_line; streams are seeded from run.seed.
  LineSim(const LineDef& line, const RunDef& run, uint32_t replication);
  /// A snapshot: the whole state (clock, calendar, items, statistics, random streams) but no
  /// observers. Running a copy on gives exactly what running the original on would.
  LineSim(const LineSim& saved);
  LineSim(LineSim&& other) noexcept;
  LineSim& operator=(const LineSim&) = delete;
  ~LineSim();

  /// Adds an observer (not owned; it must outlive the run).
  void add_observer(Observer* observer);
  /// Starts the run at time 0 from `state` instead of an empty line (check_state must accept it);
  /// call it before run_until. Times the state does not give are drawn from this run's streams.
  void start_from(const LineState& state);
  /// Follows `plan` (not owned; it must outlive the run) instead of the sources: each job enters
  /// the line at its release time and each machine takes only the next job of its sequence, even
  /// when others wait. The run ends when nothing more can happen; call it before run_until.
  /// (state() and start_from are for lines fed by their sources, not for planned runs.)
  void follow_plan(const PlanDef& plan);
  /// Jobs of the plan finished so far (all of them once a planned run ends, unless it deadlocked).
  uint64_t plan_finished() const;
  /// Where every item is now and what every machine is doing.
  LineState state() const;
  /// Runs to the end of the measured window and returns the replication's figures.
  RepResult run();
  /// Processes events up to time t (or the end of the run); false once the run is over.
  bool run_until(double t);
  /// The simulated clock.
  double now() const;
  /// Events processed so far.
  uint64_t events() const;
  /// The figures so far (final after run()).
  RepResult result() const;

 private:
  std::unique_ptr<detail::LineKernel> kernel_;
};

}  // namespace linetwin::sim
