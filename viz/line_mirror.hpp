// The viewer's picture of a running line, built from the simulator's events alone: what each
// machine is doing, which items wait in each buffer and travel on each transport, and the line's
// figures so far. Plain C++ (no graphics); not the simulator's own state, which it never reads.
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "sim/line_def.hpp"
#include "sim/observer.hpp"
#include "sim/rep_result.hpp"  // MachineState

namespace linetwin::viz {

using sim::MachineState;

/// One machine as the events left it.
struct MachineMirror {
  MachineState state = MachineState::kStarved;
  uint64_t item = 0;                  // the item it holds, 0 when empty
  uint32_t product = sim::LineEvent::kNone;
  double since = 0;                   // when it entered its state
  std::array<double, sim::kMachineStates> time{};  // time in each state in the current window
};

/// An item seen in a buffer or on a transport.
struct ItemMirror {
  uint64_t item = 0;
  uint32_t product = 0;
  double since = 0;                   // entered the buffer, or departed on the transport
  bool arrived = false;               // on a transport: reached its end and waits there
};

/// One station: its machines, the items in its buffer (first in front), its queue's area.
struct StationMirror {
  std::vector<MachineMirror> machines;
  std::deque<ItemMirror> queue;
  double queue_area = 0, queue_since = 0;
};

/// A station's fractions of machine time (averaged over its machines) and mean queue so far.
struct StationFractions {
  double busy = 0, blocked = 0, starved = 0, down = 0, queue = 0;
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
class LineMirror final : public sim::Observer {
 public:
  /// Empty stations, idle machines, empty transports for `line`.
  explicit LineMirror(const sim::LineDef& line);
  void on_event(const sim::LineEvent& e) override;

  /// The stations, by index.
  const std::vector<StationMirror>& stations() const { return stations_; }
  /// The items on each transport, in the order they departed.
  const std::vector<std::vector<ItemMirror>>& transports() const { return transports_; }
  /// The line's figures as of time `now`.
  LineKpis kpis(double now) const;
  /// Station s's fractions of machine time and mean queue as of `now`.
  StationFractions fractions(uint32_t s, double now) const;
  /// True once the warm-up is over.
  bool measuring() const { return measuring_; }
  /// True once the run has ended.
  bool over() const { return over_; }

 private:
  void set_state(double t, MachineMirror& m, MachineState s);
  void change_queue(double t, StationMirror& st);
  void restart_window(double t);

  std::vector<StationMirror> stations_;
  std::vector<std::vector<ItemMirror>> transports_;
  std::unordered_map<uint64_t, uint32_t> on_transport_;  // item -> transport
  double window_start_ = 0;
  double wip_area_ = 0, wip_since_ = 0;
  uint64_t in_line_ = 0, finished_ = 0, lost_ = 0;
  double lead_sum_ = 0;
  uint64_t finished_total_ = 0;
  double lead_total_ = 0;
  bool measuring_ = false, over_ = false;
};

}  // namespace linetwin::viz
