// The kernel's statistics of one replication (private to sim/), gathered from the line's events
// as they happen: time averages (WIP, queues, machine-state fractions) and lead times over the
// measured window, counts over the whole run; result() sums them into a RepResult. Standard
// library only.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "sim/line_def.hpp"
#include "sim/observer.hpp"  // EventKind
#include "sim/rep_result.hpp"

namespace linetwin::sim::detail {

/// A machine's time in each state over the measured window. The kernel keeps one in each machine's
/// own cache line, beside the machine's state, so that an event touches one line per machine.
struct MachineClock {
  std::array<double, kMachineStates> time{};
  double since = 0;     // when the current state began
  /// Ends state `from` at t; the next state starts at t.
  void switch_at(double t, MachineState from) {
    time[static_cast<int>(from)] += t - since;
    since = t;
  }
  void restart(double t) {
    time = {};
    since = t;
  }
};

/// A time-weighted count: its area up to T is n T + offset. The kernel keeps a station's queue
/// level beside the station's queue.
struct Level {
  int64_t n = 0;
  double offset = 0;
  // Keeping n T + offset unchanged across a step costs one addition (no "since" to carry).
  void add(double t, int64_t d) { offset -= double(d) * t; n += d; }
  double area_to(double t) const { return double(n) * t + offset; }
  void restart(double t) { offset = -double(n) * t; }  // area 0 from t on
};

/// A queue's area over time when the queue keeps its own length n: the area up to T is
/// n T + offset (a Level without its count, 8 bytes in the station's first cache line).
struct QueueArea {
  double offset = 0;
  void add(double t, int64_t d) { offset -= double(d) * t; }
  void restart(double t, size_t n) { offset = -double(n) * t; }  // area 0 from t on
  Level with(size_t n) const { return Level{static_cast<int64_t>(n), offset}; }
};

/// Gathers a replication's statistics from its events. The per-machine clocks and per-station
/// queue levels live in the kernel's hot state; this class does the arithmetic and keeps the
/// line-wide counts.
class LineStats {
 public:
  LineStats() = default;
  /// Sizes for `line`.
  explicit LineStats(const LineDef& line);
  /// Counts an event whose kind is known at compile time: what the kernel calls, so that
  /// gathering statistics adds neither a call nor a test of the kind. `state` and `clock` are the
  /// machine's (for the kinds that change a machine's state), `queue` the station's queue area
  /// (for kEnqueue and kDequeue); the others may be null.
  template <EventKind K>
  void on(double t, MachineState* state, MachineClock* clock, QueueArea* queue, double value);
  /// Each release, completion and scrap of a product, on a line of more than one (the kernel
  /// tells only then; a line of one product reports the line's figures as the product's).
  template <EventKind K>
  void on_product(double t, uint32_t product, double value);
  /// Starts the measured window at t; the kernel restarts every clock and queue level itself.
  void start_window(double t);
  /// The figures as of time t (the end of the run, or now for a run in progress), from the
  /// machines' states and clocks (stations' machines one after another) and the stations' queues.
  RepResult result(double t, const std::vector<MachineState>& states,
                   const std::vector<MachineClock>& clocks, const std::vector<Level>& queues) const;

 private:
  std::vector<uint32_t> first_machine_;
  std::vector<uint32_t> machine_count_;
  Level wip_;
  double start_ = 0;    // start of the measured window
  bool measuring_ = false;
  uint64_t finished_window_ = 0, lost_window_ = 0;
  double lead_sum_ = 0;
  uint64_t created_ = 0, finished_ = 0, lost_total_ = 0;
  uint64_t scrapped_window_ = 0, scrapped_ = 0;
  double scrap_time_sum_ = 0;
  // Per product, only on a line of several.
  struct ProductCounts {
    Level wip;
    uint64_t finished_window = 0, scrapped_window = 0;
    double lead_sum = 0, scrap_time_sum = 0;
  };
  std::vector<ProductCounts> products_;
};

inline void set_state(double t, MachineState* state, MachineClock* clock, MachineState s) {
  clock->switch_at(t, *state);
  *state = s;
}

template <EventKind K>
inline void LineStats::on(double t, MachineState* state, MachineClock* clock, QueueArea* queue,
                          double value) {
  if constexpr (K == EventKind::kRelease) {
    ++created_;
    wip_.add(t, +1);
  } else if constexpr (K == EventKind::kLost) {
    ++created_;
    ++lost_total_;
    if (measuring_) ++lost_window_;
  } else if constexpr (K == EventKind::kEnqueue) {
    queue->add(t, +1);
  } else if constexpr (K == EventKind::kDequeue) {
    queue->add(t, -1);
  } else if constexpr (K == EventKind::kStart || K == EventKind::kRepair) {
    set_state(t, state, clock, MachineState::kBusy);
  } else if constexpr (K == EventKind::kBlock) {
    set_state(t, state, clock, MachineState::kBlocked);
  } else if constexpr (K == EventKind::kLeave) {
    set_state(t, state, clock, MachineState::kStarved);
  } else if constexpr (K == EventKind::kFail) {
    set_state(t, state, clock, MachineState::kDown);
  } else if constexpr (K == EventKind::kComplete) {
    ++finished_;
    wip_.add(t, -1);
    if (measuring_) {
      ++finished_window_;
      lead_sum_ += value;
    }
  } else if constexpr (K == EventKind::kScrap) {
    ++scrapped_;
    wip_.add(t, -1);
    if (measuring_) {
      ++scrapped_window_;
      scrap_time_sum_ += value;
    }
  }
}

template <EventKind K>
inline void LineStats::on_product(double t, uint32_t product, double value) {
  ProductCounts& p = products_[product];
  if constexpr (K == EventKind::kRelease) {
    p.wip.add(t, +1);
  } else if constexpr (K == EventKind::kComplete) {
    p.wip.add(t, -1);
    if (measuring_) {
      ++p.finished_window;
      p.lead_sum += value;
    }
  } else if constexpr (K == EventKind::kScrap) {
    p.wip.add(t, -1);
    if (measuring_) {
      ++p.scrapped_window;
      p.scrap_time_sum += value;
    }
  }
}

inline void LineStats::start_window(double t) {
  // Forget everything accumulated so far; levels keep their current counts.
  measuring_ = true;
  start_ = t;
  wip_.restart(t);
  finished_window_ = lost_window_ = scrapped_window_ = 0;
  lead_sum_ = scrap_time_sum_ = 0;
  for (ProductCounts& p : products_) {
    p.wip.restart(t);
    p.finished_window = p.scrapped_window = 0;
    p.lead_sum = p.scrap_time_sum = 0;
  }
}

}  // namespace linetwin::sim::detail
