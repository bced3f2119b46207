// A line running for the viewer: one replication of the scenario, advanced frame by frame by
// simulated time, with its figures kept from its events, its picture (where the items are) read
// from the simulator, and a history of the KPIs for the plots. Restart and what-if changes build a fresh simulation. Plain C++, no graphics.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "scenarios/scenario.hpp"
#include "sim/line.hpp"
#include "sim/line_state.hpp"
#include "viz/line_figures.hpp"

namespace linetwin::viz {

/// The line's figures at one moment, for the plots: throughput and lead time over the last
/// kPlotWindow samples (so that the plots show how the line changes, warm-up included), WIP now.
struct KpiSample {
  float t = 0;
  float throughput = 0, wip = 0, lead_time = 0;
  uint64_t finished_total = 0;
  double lead_total = 0;
};

class LiveLine {
 public:
  /// Starts replication 0 of `scenario` at time 0.
  explicit LiveLine(scenarios::Scenario scenario);
  LiveLine(const LiveLine&) = delete;
  LiveLine& operator=(const LiveLine&) = delete;

  /// Starts again from time 0 with the same scenario.
  void restart();
  /// Starts again from time 0 with another scenario (a what-if).
  void replace(scenarios::Scenario scenario);
  /// Runs the simulation up to time t (or its end).
  void advance_to(double t);
  /// Runs for about `wall_seconds` of computing time: "as fast as possible".
  void advance_for(double wall_seconds);

  /// The simulated clock.
  double now() const { return sim_->now(); }
  /// When the run ends: the warm-up plus the horizon.
  double end() const { return scenario_.run.warmup + scenario_.run.horizon; }
  /// True when the run has reached its end (or the line proved unstable).
  bool over() const { return over_; }
  /// Events processed in this run.
  uint64_t events() const { return sim_->events(); }
  /// The scenario being run.
  const scenarios::Scenario& scenario() const { return scenario_; }
  /// The running line's figures.
  const LineFigures& figures() const { return *figures_; }
  /// The line now: its items in buffers, on machines and in transports, its machines' states.
  /// Read from the simulator once after each step, when it is first asked for.
  const sim::LineState& state() const;
  /// The KPIs sampled so far, oldest first (at most kMaxSamples, thinned as the run goes on).
  const std::vector<KpiSample>& history() const { return history_; }
  /// The mean travel time of each transport, for drawing items along it.
  const std::vector<double>& travel_mean() const { return travel_mean_; }

  static constexpr std::size_t kMaxSamples = 600;
  static constexpr std::size_t kPlotWindow = 20;

 private:
  void start();
  void sample();

  scenarios::Scenario scenario_;
  std::unique_ptr<LineFigures> figures_;
  std::unique_ptr<sim::LineSim> sim_;  // refers to scenario_.line: destroyed before it changes
  std::vector<KpiSample> history_;
  std::vector<double> travel_mean_;
  double sample_every_ = 1, next_sample_ = 0;
  double chunk_ = 1;                    // simulated time per step when running as fast as possible
  mutable sim::LineState state_;
  mutable bool state_stale_ = true;
  bool over_ = false;
};

}  // namespace linetwin::viz
