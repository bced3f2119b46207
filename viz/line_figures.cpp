// The figures follow the kernel's event order (see sim/observer.hpp): a machine is busy from
// kStart, blocked from kBlock, down from kFail until kRepair, and idle (starved) from kLeave; an
// item is in a buffer from kEnqueue to kDequeue. Time averages restart when the warm-up ends, as
// the simulator's own statistics do, so that the figures converge to those of `linetwin run`.
#include "viz/line_figures.hpp"

namespace linetwin::viz {

LineFigures::LineFigures(const sim::LineDef& line) {
  stations_.resize(line.stations.size());
  for (std::size_t s = 0; s < line.stations.size(); ++s) stations_[s].machines.resize(line.stations[s].machines);
}

void LineFigures::set_state(double t, MachineClock& m, MachineState s) {
  if (m.off) {
    m.under = s;
    return;
  }
  m.time[static_cast<int>(m.state)] += t - m.since;
  m.since = t;
  m.state = s;
}

void LineFigures::change_queue(double t, StationClock& st, int delta) {
  st.queue_area += double(st.queue) * (t - st.queue_since);
  st.queue_since = t;
  st.queue += delta;
}

void LineFigures::restart_window(double t) {
  window_start_ = t;
  for (auto& st : stations_) {
    st.queue_area = 0;
    st.queue_since = t;
    for (auto& m : st.machines) {
      m.time = {};
      m.since = t;
    }
  }
  wip_area_ = 0;
  wip_since_ = t;
  finished_ = 0;
  lost_ = 0;
  lead_sum_ = 0;
}

void LineFigures::on_event(const sim::LineEvent& e) {
  using K = sim::EventKind;
  auto machine = [&]() -> MachineClock& { return stations_[e.station].machines[e.machine]; };
  auto wip = [&](int d) {
    wip_area_ += double(in_line_) * (e.t - wip_since_);
    wip_since_ = e.t;
    in_line_ += d;
  };
  switch (e.kind) {
    case K::kRelease: wip(+1); break;
    case K::kLost: ++lost_; break;
    case K::kEnqueue: change_queue(e.t, stations_[e.station], +1); break;
    case K::kDequeue: change_queue(e.t, stations_[e.station], -1); break;
    case K::kStart: set_state(e.t, machine(), MachineState::kBusy); break;
    case K::kBlock: set_state(e.t, machine(), MachineState::kBlocked); break;
    case K::kLeave: set_state(e.t, machine(), MachineState::kStarved); break;
    case K::kFail: set_state(e.t, machine(), MachineState::kDown); break;
    case K::kRepair: set_state(e.t, machine(), MachineState::kBusy); break;
    case K::kSetup: set_state(e.t, machine(), MachineState::kSetup); break;
    case K::kWait: set_state(e.t, machine(), MachineState::kWaiting); break;
    case K::kMaintain: set_state(e.t, machine(), MachineState::kMaintenance); break;
    case K::kMaintained: set_state(e.t, machine(), MachineState::kStarved); break;
    case K::kOff: {  // the machine shows off until work resumes, and then what it came to meanwhile
      MachineClock& m = machine();
      const MachineState under = m.state;
      set_state(e.t, m, MachineState::kOff);
      m.under = under;
      m.off = true;
      break;
    }
    case K::kOn: {
      MachineClock& m = machine();
      m.off = false;
      set_state(e.t, m, m.under);
      break;
    }
    case K::kComplete:
      wip(-1);
      ++finished_;
      lead_sum_ += e.value;
      ++finished_total_;
      lead_total_ += e.value;
      break;
    case K::kMeasureStart:
      measuring_ = true;
      restart_window(e.t);
      break;
    case K::kMeasureEnd: over_ = true; break;
    case K::kScrap: wip(-1); break;  // it leaves the line unfinished
    case K::kConsume: wip(-1); break;  // taken into an assembly: the item made is released
    case K::kRework:
    case K::kArrive:
    case K::kTransportDepart:
    case K::kTransportArrive:
    case K::kFinish: break;
  }
}

LineKpis LineFigures::kpis(double now) const {
  LineKpis k;
  const double span = now - window_start_;
  k.window_start = window_start_;
  k.finished = finished_;
  k.lost_count = lost_;
  k.in_line = in_line_;
  k.finished_total = finished_total_;
  k.lead_total = lead_total_;
  if (span > 0) {
    k.throughput = double(finished_) / span;
    k.lost = double(lost_) / span;
    k.wip = (wip_area_ + double(in_line_) * (now - wip_since_)) / span;
  }
  k.lead_time = finished_ ? lead_sum_ / double(finished_) : 0;
  return k;
}

StationFractions LineFigures::fractions(uint32_t s, double now) const {
  StationFractions f;
  const StationClock& st = stations_[s];
  const double span = now - window_start_;
  if (!(span > 0) || st.machines.empty()) return f;
  std::array<double, sim::kMachineStates> sum{};
  for (const auto& m : st.machines)
    for (int k = 0; k < sim::kMachineStates; ++k)
      sum[k] += m.time[k] + (static_cast<int>(m.state) == k ? now - m.since : 0);
  const double total = span * double(st.machines.size());
  f.starved = sum[static_cast<int>(MachineState::kStarved)] / total;
  f.busy = sum[static_cast<int>(MachineState::kBusy)] / total;
  f.blocked = sum[static_cast<int>(MachineState::kBlocked)] / total;
  f.down = sum[static_cast<int>(MachineState::kDown)] / total;
  f.setup = sum[static_cast<int>(MachineState::kSetup)] / total;
  f.waiting = sum[static_cast<int>(MachineState::kWaiting)] / total;
  f.maintenance = sum[static_cast<int>(MachineState::kMaintenance)] / total;
  f.off = sum[static_cast<int>(MachineState::kOff)] / total;
  f.queue = (st.queue_area + double(st.queue) * (now - st.queue_since)) / span;
  return f;
}

}  // namespace linetwin::viz
