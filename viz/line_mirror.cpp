// The mirror follows the kernel's event order (see sim/observer.hpp): a machine is busy from
// kStart, blocked from kBlock, down from kFail until kRepair, and idle (starved) from kLeave; an
// item is in a buffer from kEnqueue to kDequeue and on a transport from kTransportDepart until it
// arrives at the next station (kArrive). Time averages restart when the warm-up ends, as the
// simulator's own statistics do, so that the figures converge to those of `linetwin run`.
#include "viz/line_mirror.hpp"

#include <algorithm>

namespace linetwin::viz {

LineMirror::LineMirror(const sim::LineDef& line) {
  stations_.resize(line.stations.size());
  for (std::size_t s = 0; s < line.stations.size(); ++s) stations_[s].machines.resize(line.stations[s].machines);
  transports_.resize(line.transports.size());
}

void LineMirror::set_state(double t, MachineMirror& m, MachineState s) {
  m.time[static_cast<int>(m.state)] += t - m.since;
  m.since = t;
  m.state = s;
}

void LineMirror::change_queue(double t, StationMirror& st) {
  st.queue_area += double(st.queue.size()) * (t - st.queue_since);
  st.queue_since = t;
}

void LineMirror::restart_window(double t) {
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

void LineMirror::on_event(const sim::LineEvent& e) {
  using K = sim::EventKind;
  auto machine = [&]() -> MachineMirror& { return stations_[e.station].machines[e.machine]; };
  auto wip = [&](int d) {
    wip_area_ += double(in_line_) * (e.t - wip_since_);
    wip_since_ = e.t;
    in_line_ += d;
  };
  switch (e.kind) {
    case K::kRelease: wip(+1); break;
    case K::kLost: ++lost_; break;
    case K::kArrive: {
      auto it = on_transport_.find(e.item);
      if (it != on_transport_.end()) {
        auto& list = transports_[it->second];
        list.erase(std::find_if(list.begin(), list.end(), [&](const ItemMirror& i) { return i.item == e.item; }));
        on_transport_.erase(it);
      }
      break;
    }
    case K::kEnqueue: {
      auto& st = stations_[e.station];
      change_queue(e.t, st);
      st.queue.push_back(ItemMirror{e.item, e.product, e.t, false});
      break;
    }
    case K::kDequeue: {
      auto& st = stations_[e.station];
      change_queue(e.t, st);
      auto it = std::find_if(st.queue.begin(), st.queue.end(), [&](const ItemMirror& i) { return i.item == e.item; });
      if (it != st.queue.end()) st.queue.erase(it);
      break;
    }
    case K::kStart: {
      MachineMirror& m = machine();
      set_state(e.t, m, MachineState::kBusy);
      m.item = e.item;
      m.product = e.product;
      break;
    }
    case K::kBlock: set_state(e.t, machine(), MachineState::kBlocked); break;
    case K::kLeave: {
      MachineMirror& m = machine();
      set_state(e.t, m, MachineState::kStarved);
      m.item = 0;
      m.product = sim::LineEvent::kNone;
      break;
    }
    case K::kFail: set_state(e.t, machine(), MachineState::kDown); break;
    case K::kRepair: set_state(e.t, machine(), MachineState::kBusy); break;
    case K::kTransportDepart:
      transports_[e.transport].push_back(ItemMirror{e.item, e.product, e.t, false});
      on_transport_[e.item] = e.transport;
      break;
    case K::kTransportArrive:
      for (auto& i : transports_[e.transport])
        if (i.item == e.item) i.arrived = true;
      break;
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
    case K::kFinish: break;
  }
}

LineKpis LineMirror::kpis(double now) const {
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

StationFractions LineMirror::fractions(uint32_t s, double now) const {
  StationFractions f;
  const StationMirror& st = stations_[s];
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
  f.queue = (st.queue_area + double(st.queue.size()) * (now - st.queue_since)) / span;
  return f;
}

}  // namespace linetwin::viz
