// The viewer's running figures of a line, kept from the simulator's events: each machine's time in
// each state, each buffer's time-average queue, throughput, WIP, lead time and losses, over the
// measured window once the warm-up is over. Where the items are is not kept here: that picture is
// sim::LineState, the one the kernel reports and the twin's mirror builds (see scene.hpp).
// Plain C++ (no graphics).
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "sim/line_def.hpp"
#include "sim/observer.hpp"
#include "sim/rep_result.hpp"  // MachineState

namespace linetwin::viz {

using sim::MachineState;

/// One machine's clock: its state as the events left it and its time in each state.
struct MachineClock {
  MachineState state = MachineState::kStarved;
  double since = 0;                   // when it entered its state
  std::array<double, sim::kMachineStates> time{};  // time in each state in the current window
  bool off = false;                   // off its calendar: shown off, whatever happens underneath
  MachineState under = MachineState::kStarved;  // while off: the state it would show
};

/// One station: its machines' clocks and its queue's length and area.
struct StationClock {
  std::vector<MachineClock> machines;
  uint64_t queue = 0;
  double queue_area = 0, queue_since = 0;
};

/// A station's fractions of machine time (averaged over its machines) and mean queue so far.
struct StationFractions {
  double busy = 0, blocked = 0, starved = 0, down = 0, setup = 0, waiting = 0, maintenance = 0, off = 0;
  double queue = 0;
};

/// The line's figures so far, over the measured window once the warm-up is over.
struct LineKpis {
  double throughput = 0;              // finished per time unit
  double lead_time = 0;               // mean, of the items finished; 0 when none
  double wip = 0;                     // time-average items in the line
  double lost = 0;                    // lost arrivals per time unit
  uint64_t finished = 0, lost_count = 0, in_line = 0;
  double window_start = 0;
  uint64_t finished_total = 0;        // since time 0, through the warm-up
  double lead_total = 0;              // the sum of their lead times
};

/// Follows a run through its events.
class LineFigures final : public sim::Observer {
 public:
  /// Idle machines and empty buffers for `line`.
  explicit LineFigures(const sim::LineDef& line);
  void on_event(const sim::LineEvent& e) override;

  /// The stations' clocks, by index.
  const std::vector<StationClock>& stations() const { return stations_; }
  /// The line's figures as of time `now`.
  LineKpis kpis(double now) const;
  /// Station s's fractions of machine time and mean queue as of `now`.
  StationFractions fractions(uint32_t s, double now) const;
  /// True once the warm-up is over.
  bool measuring() const { return measuring_; }
  /// True once the run has ended.
  bool over() const { return over_; }

 private:
  void set_state(double t, MachineClock& m, MachineState s);
  void change_queue(double t, StationClock& st, int delta);
  void restart_window(double t);

  std::vector<StationClock> stations_;
  double window_start_ = 0;
  double wip_area_ = 0, wip_since_ = 0;
  uint64_t in_line_ = 0, finished_ = 0, lost_ = 0;
  double lead_sum_ = 0;
  uint64_t finished_total_ = 0;
  double lead_total_ = 0;
  bool measuring_ = false, over_ = false;
};

}  // namespace linetwin::viz
