// The statistics of one replication, gathered as an observer of the line's events: time averages
// (WIP, queues, machine-state fractions) and lead times over the measured window, counts over
// the whole run for conservation checks. Standard library only.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "sim/line_def.hpp"
#include "sim/observer.hpp"

namespace linetwin::sim {

enum class MachineState : uint8_t { kStarved = 0, kBusy = 1, kBlocked = 2, kDown = 3 };
inline constexpr int kMachineStates = 4;

/// A station's figures in one replication: fractions of machine time and the mean queue.
struct StationResult {
  double utilization = 0;  // busy
  double blocked = 0;
  double starved = 0;
  double down = 0;
  double queue = 0;        // time-average number waiting in the buffer
};

/// The figures of one replication.
struct RepResult {
  double throughput = 0;   // finished per time unit in the measured window
  double lead_time = 0;    // mean release-to-finish of items finished in the window; NaN if none
  double wip = 0;          // time-average items in the line
  double lost = 0;         // lost arrivals per time unit
  std::vector<StationResult> stations;
  uint64_t events = 0;     // calendar events processed
  // Over the whole run, from time 0: created = finished + in_line + lost.
  uint64_t created = 0, finished = 0, lost_total = 0, in_line = 0;
  bool unstable = false;   // stopped early: the line held more than RunDef::max_items items
  double end_time = 0;     // when the run stopped
};

/// Gathers a replication's statistics from its events.
class LineStats final : public Observer {
 public:
  LineStats() = default;
  /// Sizes the accumulators for `line`; all machines start starved at time 0.
  explicit LineStats(const LineDef& line);
  void on_event(const LineEvent& e) override;
  /// The same for an event whose kind is known at compile time: what the kernel calls, so that
  /// gathering statistics costs a few instructions per event.
  /// `machine` is the global machine index (stations' machines numbered one after another).
  template <EventKind K>
  void on(double t, uint32_t machine, uint32_t station, double value);
  /// The figures as of time t (the end of the run, or now for a run in progress).
  RepResult result(double t) const;

 private:
  struct MachineAcc {
    MachineState state = MachineState::kStarved;
    double since = 0;
    std::array<double, kMachineStates> time{};
  };
  struct Level {        // a time-weighted count: its area up to T is n T + offset
    int64_t n = 0;
    double offset = 0;
    // Keeping n T + offset unchanged across a step costs one addition (no "since" to carry).
    void add(double t, int64_t d) { offset -= double(d) * t; n += d; }
    double area_to(double t) const { return double(n) * t + offset; }
    void restart(double t) { offset = -double(n) * t; }  // area 0 from t on
  };
  void set_state(double t, uint32_t machine, MachineState s);

  std::vector<uint32_t> first_machine_;
  std::vector<uint32_t> machine_count_;
  std::vector<MachineAcc> machines_;
  std::vector<Level> queues_;
  Level wip_;
  double start_ = 0;    // start of the measured window
  bool measuring_ = false;
  uint64_t finished_window_ = 0, lost_window_ = 0;
  double lead_sum_ = 0;
  uint64_t created_ = 0, finished_ = 0, lost_total_ = 0;
};

inline void LineStats::set_state(double t, uint32_t machine, MachineState s) {
  MachineAcc& m = machines_[machine];
  m.time[static_cast<int>(m.state)] += t - m.since;
  m.since = t;
  m.state = s;
}

template <EventKind K>
inline void LineStats::on(double t, uint32_t machine, uint32_t station, double value) {
  if constexpr (K == EventKind::kRelease) {
    ++created_;
    wip_.add(t, +1);
  } else if constexpr (K == EventKind::kLost) {
    ++created_;
    ++lost_total_;
    if (measuring_) ++lost_window_;
  } else if constexpr (K == EventKind::kEnqueue) {
    queues_[station].add(t, +1);
  } else if constexpr (K == EventKind::kDequeue) {
    queues_[station].add(t, -1);
  } else if constexpr (K == EventKind::kStart || K == EventKind::kRepair) {
    set_state(t, machine, MachineState::kBusy);
  } else if constexpr (K == EventKind::kBlock) {
    set_state(t, machine, MachineState::kBlocked);
  } else if constexpr (K == EventKind::kLeave) {
    set_state(t, machine, MachineState::kStarved);
  } else if constexpr (K == EventKind::kFail) {
    set_state(t, machine, MachineState::kDown);
  } else if constexpr (K == EventKind::kComplete) {
    ++finished_;
    wip_.add(t, -1);
    if (measuring_) {
      ++finished_window_;
      lead_sum_ += value;
    }
  } else if constexpr (K == EventKind::kMeasureStart) {
    // Forget everything accumulated so far; levels keep their current counts.
    measuring_ = true;
    start_ = t;
    for (auto& m : machines_) {
      m.time = {};
      m.since = t;
    }
    for (auto& q : queues_) q.restart(t);
    wip_.restart(t);
    finished_window_ = lost_window_ = 0;
    lead_sum_ = 0;
  }
}

inline void LineStats::on_event(const LineEvent& e) {
  switch (e.kind) {
#define LINETWIN_CASE(K) \
  case EventKind::K:                                                                             \
    on<EventKind::K>(e.t, e.machine == LineEvent::kNone ? e.machine : first_machine_[e.station] + e.machine, \
                     e.station, e.value);                                                       \
    break;
    LINETWIN_CASE(kRelease) LINETWIN_CASE(kLost) LINETWIN_CASE(kArrive) LINETWIN_CASE(kEnqueue)
    LINETWIN_CASE(kDequeue) LINETWIN_CASE(kStart) LINETWIN_CASE(kFinish) LINETWIN_CASE(kLeave) LINETWIN_CASE(kBlock)
    LINETWIN_CASE(kFail) LINETWIN_CASE(kRepair) LINETWIN_CASE(kTransportDepart)
    LINETWIN_CASE(kTransportArrive) LINETWIN_CASE(kComplete) LINETWIN_CASE(kMeasureStart)
    LINETWIN_CASE(kMeasureEnd)
#undef LINETWIN_CASE
  }
}

}  // namespace linetwin::sim
