#include "sim/line_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace linetwin::sim {

LineStats::LineStats(const LineDef& line) {
  uint32_t total = 0;
  for (const auto& s : line.stations) {
    first_machine_.push_back(total);
    machine_count_.push_back(s.machines);
    total += s.machines;
  }
  machines_.resize(total);
  queues_.resize(line.stations.size());
}

void LineStats::set_state(double t, uint32_t station, uint32_t machine, MachineState s) {
  MachineAcc& m = machines_[first_machine_[station] + machine];
  m.time[static_cast<int>(m.state)] += t - m.since;
  m.since = t;
  m.state = s;
}

void LineStats::on_event(const LineEvent& e) {
  switch (e.kind) {
    case EventKind::kRelease: ++created_; wip_.add(e.t, +1); break;
    case EventKind::kLost:
      ++created_;
      ++lost_total_;
      if (measuring_) ++lost_window_;
      break;
    case EventKind::kEnqueue: queues_[e.station].add(e.t, +1); break;
    case EventKind::kDequeue: queues_[e.station].add(e.t, -1); break;
    case EventKind::kStart:
    case EventKind::kRepair: set_state(e.t, e.station, e.machine, MachineState::kBusy); break;
    case EventKind::kFinish: set_state(e.t, e.station, e.machine, MachineState::kBlocked); break;
    case EventKind::kLeave: set_state(e.t, e.station, e.machine, MachineState::kStarved); break;
    case EventKind::kFail: set_state(e.t, e.station, e.machine, MachineState::kDown); break;
    case EventKind::kComplete:
      ++finished_;
      wip_.add(e.t, -1);
      if (measuring_) {
        ++finished_window_;
        lead_sum_ += e.value;
      }
      break;
    case EventKind::kMeasureStart:
      // Forget everything accumulated so far; levels keep their current counts.
      measuring_ = true;
      start_ = e.t;
      for (auto& m : machines_) { m.time = {}; m.since = e.t; }
      for (auto& q : queues_) { q.area = 0; q.since = e.t; }
      wip_.area = 0;
      wip_.since = e.t;
      finished_window_ = lost_window_ = 0;
      lead_sum_ = 0;
      break;
    case EventKind::kMeasureEnd: end_ = e.t; break;
    default: break;
  }
}

RepResult LineStats::result(double t) const {
  RepResult r;
  const double span = measuring_ ? t - start_ : 0.0;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto per_time = [&](double x) { return span > 0 ? x / span : nan; };
  r.throughput = per_time(double(finished_window_));
  r.lost = per_time(double(lost_window_));
  r.wip = per_time(measuring_ ? wip_.area_to(t) : 0.0);
  r.lead_time = finished_window_ > 0 ? lead_sum_ / double(finished_window_) : nan;
  r.stations.resize(first_machine_.size());
  for (size_t s = 0; s < first_machine_.size(); ++s) {
    std::array<double, kMachineStates> sum{};
    for (uint32_t i = 0; i < machine_count_[s]; ++i) {
      const MachineAcc& m = machines_[first_machine_[s] + i];
      for (int k = 0; k < kMachineStates; ++k) sum[k] += m.time[k];
      sum[static_cast<int>(m.state)] += t - m.since;
    }
    const double denom = span * machine_count_[s];
    auto frac = [&](MachineState st) { return denom > 0 ? sum[int(st)] / denom : nan; };
    r.stations[s].utilization = frac(MachineState::kBusy);
    r.stations[s].blocked = frac(MachineState::kBlocked);
    r.stations[s].starved = frac(MachineState::kStarved);
    r.stations[s].down = frac(MachineState::kDown);
    r.stations[s].queue = per_time(measuring_ ? queues_[s].area_to(t) : 0.0);
  }
  r.created = created_;
  r.finished = finished_;
  r.lost_total = lost_total_;
  r.in_line = static_cast<uint64_t>(wip_.n);
  r.end_time = t;
  return r;
}

}  // namespace linetwin::sim
