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

/// A machine's time in each hot state over the measured window, and the ideal work it started.
/// The kernel keeps one in each machine's own cache line, beside the machine's state, so that an
/// event touches one line per machine. As a Level keeps its area, entering a state subtracts the
/// time and leaving it adds the time, so time[s] (+ t for the current state) is the time in s up
/// to t with no "since" to keep: its place holds the ideal work.
struct MachineClock {
  std::array<double, kHotStates> time{};
  double ideal = 0;     // the mean process times of the operations started (OEE's performance)
  /// Leaves hot state `from` and enters hot state `to` at t.
  void switch_at(double t, MachineState from, MachineState to) {
    time[static_cast<int>(from)] += t;
    time[static_cast<int>(to)] -= t;
  }
  /// Forgets everything before t; the machine is in hot state `now` (or in a cold one, when
  /// `hot` is false).
  void restart(double t, MachineState now, bool hot) {
    time = {};
    if (hot) time[static_cast<int>(now)] = -t;
    ideal = 0;
  }
};

/// The time of a machine in the states past the hot ones (setup, waiting, maintenance, off),
/// kept the same way: only lines that reach those states have them.
struct ColdClock {
  std::array<double, kMachineStates - kHotStates> time{};
  double& in(MachineState s) { return time[static_cast<int>(s) - kHotStates]; }
  double in(MachineState s) const { return time[static_cast<int>(s) - kHotStates]; }
};

/// A machine's time in each state up to t (the current state's included), as a calendar marks it
/// when work stops.
using StateTimes = std::array<double, kMachineStates>;
inline StateTimes times_to(double t, MachineState now, const MachineClock& hot, const ColdClock& cold) {
  StateTimes out{};
  for (int s = 0; s < kMachineStates; ++s)
    out[s] = (s < kHotStates ? hot.time[s] : cold.time[s - kHotStates]) + (int(now) == s ? t : 0.0);
  return out;
}
/// Moves the time a machine spent in its states since `mark` (when its calendar stopped work) to
/// off: whatever it did outside the working time counts as off.
inline void fold_off(double t, MachineState now, const StateTimes& mark, MachineClock& hot, ColdClock& cold) {
  const StateTimes at = times_to(t, now, hot, cold);
  double moved = 0;
  for (int s = 0; s < kMachineStates; ++s) {
    if (s == int(MachineState::kOff)) continue;
    const double d = at[s] - mark[s];
    (s < kHotStates ? hot.time[s] : cold.time[s - kHotStates]) -= d;
    moved += d;
  }
  cold.in(MachineState::kOff) += moved;
}

/// What finished at a station with scrap or rework in the measured window (OEE's quality).
struct QualityCount {
  uint64_t finished = 0, bad = 0;  // bad: scrapped or reworked
};

/// Whether state `s` is timed in the machine's own clock.
constexpr bool is_hot(MachineState s) { return static_cast<int>(s) < kHotStates; }

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
  /// `cold`: the machines' cold clocks (empty on a line that never reaches those states);
  /// `quality`: per station the items finished and those scrapped or reworked there in the window
  /// (empty on a line without scrap or rework).
  RepResult result(double t, const std::vector<MachineState>& states,
                   const std::vector<MachineClock>& clocks, const std::vector<ColdClock>& cold,
                   const std::vector<Level>& queues, const std::vector<QualityCount>& quality) const;

 private:
  std::vector<uint32_t> first_machine_;
  std::vector<uint32_t> machine_count_;
  std::vector<std::vector<double>> power_;   // per station: kW per MachineState, or empty
  double hours_per_unit_ = 1;
  Level wip_;
  double start_ = 0;    // start of the measured window
  bool measuring_ = false;
  uint64_t finished_window_ = 0, lost_window_ = 0;
  double lead_sum_ = 0;
  uint64_t created_ = 0, finished_ = 0, lost_total_ = 0;
  uint64_t scrapped_window_ = 0, scrapped_ = 0, consumed_ = 0, consumed_window_ = 0;
  double scrap_time_sum_ = 0, consume_time_sum_ = 0;
  // Per product, only on a line of several.
  struct ProductCounts {
    Level wip;
    uint64_t finished_window = 0, scrapped_window = 0, consumed_window = 0;
    double lead_sum = 0, scrap_time_sum = 0, consume_time_sum = 0;
  };
  std::vector<ProductCounts> products_;
};

// A hot state to a hot state: the kernel takes a machine out of a cold state itself (leave_cold)
// before any event that calls this.
inline void set_state(double t, MachineState* state, MachineClock* clock, MachineState s) {
  clock->switch_at(t, *state, s);
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
  } else if constexpr (K == EventKind::kConsume) {
    ++consumed_;
    wip_.add(t, -1);
    if (measuring_) {
      ++consumed_window_;
      consume_time_sum_ += value;
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
  } else if constexpr (K == EventKind::kConsume) {
    p.wip.add(t, -1);
    if (measuring_) {
      ++p.consumed_window;
      p.consume_time_sum += value;
    }
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
  finished_window_ = lost_window_ = scrapped_window_ = consumed_window_ = 0;
  lead_sum_ = scrap_time_sum_ = consume_time_sum_ = 0;
  for (ProductCounts& p : products_) {
    p.wip.restart(t);
    p.finished_window = p.scrapped_window = p.consumed_window = 0;
    p.lead_sum = p.scrap_time_sum = p.consume_time_sum = 0;
  }
}

}  // namespace linetwin::sim::detail
