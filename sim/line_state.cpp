// A line's state as plain data: checking one, and the kernel's reporting it (state) and starting
// a run from it (start_from). Kept apart from line_kernel.cpp: none of this runs in the event loop.
#include <algorithm>
#include <cassert>
#include <cmath>

#include "sim/detail/line_kernel.hpp"

namespace linetwin::sim {
namespace {

bool time_ok(double v) { return std::isnan(v) || (v >= 0 && std::isfinite(v)); }

std::string check_item(const LineDef& line, const PlacedItem& it, uint32_t station, const std::string& where) {
  if (it.product >= line.products.size()) return where + ": unknown product " + std::to_string(it.product);
  const auto& route = line.products[it.product].route;
  if (it.step >= route.size() || idx(route[it.step]) != station)
    return where + ": step " + std::to_string(it.step) + " of product '" + line.products[it.product].name +
           "' is not at station '" + line.stations[station].name + "'";
  if (!(it.age >= 0) || !std::isfinite(it.age)) return where + ": the item's age is not a time";
  return {};
}

}  // namespace

std::string check_state(const LineDef& line, const LineState& state) {
  if (state.stations.size() != line.stations.size())
    return "the state has " + std::to_string(state.stations.size()) + " stations, the line " +
           std::to_string(line.stations.size());
  if (!state.lots.empty()) {
    if (state.lots.size() != line.sources.size())
      return "the state has lots of " + std::to_string(state.lots.size()) + " sources, the line " +
             std::to_string(line.sources.size()) + " sources";
    for (size_t i = 0; i < line.sources.size(); ++i) {
      const SourceDef& src = line.sources[i];
      const PlacedLot& lot = state.lots[i];
      if (lot.left > src.lot - 1)  // the item that began the lot has been released
        return "source '" + src.name + "' has " + std::to_string(lot.left) + " items of its lot left, more than its lot of " +
               std::to_string(src.lot) + " leaves";
      bool in_mix = false;
      for (const auto& m : src.mix) in_mix = in_mix || idx(m.product) == lot.product;
      if (lot.left > 0 && !in_mix)
        return "source '" + src.name + "' is in a lot of product " + std::to_string(lot.product) + ", which is not in its mix";
    }
  }
  for (uint32_t s = 0; s < line.stations.size(); ++s) {
    const PlacedStation& ps = state.stations[s];
    const std::string name = "station '" + line.stations[s].name + "'";
    if (ps.machines.size() != line.stations[s].machines)
      return name + " has " + std::to_string(ps.machines.size()) + " machines in the state, " +
             std::to_string(line.stations[s].machines) + " in the line";
    for (const PlacedItem& it : ps.queue)
      if (auto e = check_item(line, it, s, name + ", buffer"); !e.empty()) return e;
    for (const PlacedMachine& m : ps.machines) {
      for (double v : {m.elapsed, m.remaining, m.down_for, m.repair_left, m.busy_since_repair, m.ttf_left, m.setup_left,
                       m.maintain_left})
        if (!time_ok(v)) return name + ": a machine's time is negative or not finite";
      if (m.last_product != kNoLastProduct && m.last_product >= line.products.size())
        return name + ": a machine is set up for an unknown product " + std::to_string(m.last_product);
      if (m.status == MachineStatus::kSetup && !line.stations[s].has_setups())
        return name + ": a machine is in setup at a station without setups";
      if (m.status == MachineStatus::kSetup && std::isnan(m.setup_left) && m.last_product == kNoLastProduct)
        return name + ": a machine in setup gives neither its setup time left nor the product it changes over from";
      if (m.status == MachineStatus::kMaintenance && !line.stations[s].has_maintenance())
        return name + ": a machine is in maintenance at a station without maintenance";
      if (m.holding && m.status != MachineStatus::kMaintenance)
        return name + ": a machine holds an item in maintenance but is not in maintenance";
      if (holds_item(m))
        if (auto e = check_item(line, m.item, s, name + ", machine"); !e.empty()) return e;
    }
  }
  for (const PlacedTransit& pt : state.transit) {
    if (pt.transport >= line.transports.size()) return "an item travels in an unknown transport";
    const TransportDef& td = line.transports[pt.transport];
    if (auto e = check_item(line, pt.item, idx(td.to), "transport"); !e.empty()) return e;
    if (pt.item.step == 0 || line.products[pt.item.product].route[pt.item.step - 1] != td.from)
      return "an item travels in a transport that is not on its route";
    if (!time_ok(pt.remaining)) return "an item's travel time left is negative or not finite";
  }
  return {};
}

double sample_residual(const Dist& d, double elapsed, Rng& rng) {
  if (!(elapsed > 0) || d.kind == DistKind::kExponential) return sample(d, rng);  // memoryless
  for (int i = 0; i < 64; ++i)
    if (const double x = sample(d, rng); x > elapsed) return x - elapsed;
  return 0.0;
}

// The kernel's side: starting a run from a state, and reporting one.
namespace detail {
namespace {

// A time the state gives, or (NaN) one drawn.
template <class Draw>
double given(double v, Draw draw) {
  return std::isnan(v) ? draw() : v;
}

}  // namespace

uint32_t LineKernel::place_item(const PlacedItem& placed) {
  const auto slot = static_cast<uint32_t>(items_.size());
  items_.push_back(Item{placed.product, route_start_[placed.product] + placed.step});
  item_life_.push_back(ItemLife{now_ - placed.age, ++serial_});
  if (++alive_ > run_.max_items) unstable_ = true;
  emit<EventKind::kRelease>(LineEvent::kNone, LineEvent::kNone, slot);
  return slot;
}

void LineKernel::place_machine(uint32_t s, uint32_t i, const PlacedMachine& pm) {
  Station& st = stations_[s];
  const StationDef& sd = def_.stations[s];
  const uint32_t mi = st.first_machine + i;
  if (pm.status == MachineStatus::kMaintenance) {  // free when it ends, or its item goes on then
    if (pm.holding) {
      const uint32_t item = place_item(pm.item);
      emit<EventKind::kArrive>(s, LineEvent::kNone, item);
      Machine& m = machines_[mi];
      m.item = item;
      m.hop = station_hop_[items_[item].at];  // finished: its scrap or rework was drawn before
      emit<EventKind::kStart>(s, mi, item);
      after_maintenance_[mi] = AfterMaintenance::kMoveOn;
    }
    enter_cold(mi, MachineState::kMaintenance);
    emit<EventKind::kMaintain>(s, mi, machines_[mi].item);
    request_maintenance<true>(mi, given(pm.maintain_left, [&] {
      return sample_residual(sd.maintenance.duration, pm.elapsed, maintain_rngs_[mi]);
    }));
    return;
  }
  const uint32_t item = place_item(pm.item);
  emit<EventKind::kArrive>(s, LineEvent::kNone, item);
  Machine& m = machines_[mi];
  // A machine at work holds its workers, as in the run (a blocked one lets them go at its finish,
  // at once). A state may place more at work than a pool has: the pool then runs short.
  if (st.has_needs) take_needs(s, +1);
  if (pm.status == MachineStatus::kSetup) {
    // The changeover goes on; the operation starts when it ends, as in the run (kSetupEnd).
    m.item = item;
    enter_cold(mi, MachineState::kSetup);
    emit<EventKind::kSetup>(s, mi, item);
    if (sd.has_failures) m.ttf_left = given(pm.ttf_left, [&] {
      return sample_residual(sd.failures.ttf, pm.busy_since_repair, fail_rngs_[mi]);
    });
    // check_state: a setup to be drawn names the product it changes over from.
    const uint32_t from = pm.last_product == kNoLastProduct ? pm.item.product : pm.last_product;
    const Dist& d = sd.setups[from * products_ + pm.item.product];
    schedule(end_of(s, given(pm.setup_left, [&] { return sample_residual(d, pm.elapsed, setup_rngs_[s]); })),
             EventType::kSetupEnd, mi, s);
    return;  // set up for the item's product when the setup ends
  }
  m.item = item;
  m.hop = hop_[items_[item].at];
  emit<EventKind::kStart>(s, mi, item);
  // Set up for it, as the run would be; only stations with changeovers keep track (begin_setup).
  if (!last_product_.empty() && sd.has_setups()) last_product_[mi] = pm.item.product;
  if (sd.has_failures)
    m.ttf_left = given(pm.ttf_left, [&] {
      return sample_residual(sd.failures.ttf, pm.busy_since_repair, fail_rngs_[mi]);
    });
  const Dist& pd = process_[s * products_ + pm.item.product];
  // A blocked machine finishes at once and then finds its item a place or blocks again.
  const double work = pm.status == MachineStatus::kBlocked
                          ? 0.0
                          : given(pm.remaining, [&] { return sample_residual(pd, pm.elapsed, st.process_rng); });
  if (pm.status == MachineStatus::kDown && sd.has_failures) {
    emit<EventKind::kFail>(s, mi, item);
    const double repair = given(pm.repair_left, [&] {
      return sample_residual(sd.failures.ttr, pm.down_for, repair_rngs_[mi]);
    });
    work_left_[mi] = work;
    if (st.maintains) age_[mi] += work;  // an operation counts whole from its start
    request_repair<true>(mi, repair);  // with a repair crew, it may wait for a worker first
  } else {
    if (st.maintains) age_[mi] += work;
    begin_any(mi, work);
  }
}

void LineKernel::start_from(const LineState& state) {
  assert(!started_ && free_items_.empty() && check_state(def_, state).empty());
  started_ = true;
  phase_ = state.t;  // the calendars go on from where the state stood
  start_calendars();
  for (size_t i = 0; i < state.lots.size(); ++i) {  // a lot in progress goes on
    sources_[i].lot_product = state.lots[i].product;
    sources_[i].lot_left = state.lots[i].left;
  }
  for (uint32_t s = 0; s < stations_.size(); ++s) {
    Station& st = stations_[s];
    const PlacedStation& ps = state.stations[s];
    for (const PlacedItem& p : ps.queue) {
      const uint32_t item = place_item(p);
      if (st.assembles) {  // a component in its place (a state may fill the places beyond their count)
        into_stock<true>(s, item);
        continue;
      }
      emit<EventKind::kArrive>(s, LineEvent::kNone, item);
      if (st.ordered) {  // a state from outside (the twin) lists its buffer in arrival order
        st.insert_ordered(item, items_[item].product, items_.data(), queue_key_.data() + s * products_);
      } else if (st.batches) {  // as if they all came now
        st.queue.push_back(item);
        batches_[batch_of_[s]].arrived.push_back(now_);
      } else {
        st.queue.push_back(item);
      }
      emit<EventKind::kEnqueue>(s, LineEvent::kNone, item);
    }
    // A state may fill a buffer beyond its places (it comes from outside); past the store's the
    // queue has moved to the heap.
    if (st.queue.size() > kQueueStore) st.queue_in_store = false;
    for (uint32_t i = 0; i < st.machines; ++i) {  // idle ones take work below, like at the start
      if (!last_product_.empty()) last_product_[st.first_machine + i] = ps.machines[i].last_product;
      if (!age_.empty()) age_[st.first_machine + i] = ps.machines[i].busy_since_repair;
      if (ps.machines[i].status != MachineStatus::kIdle) place_machine(s, i, ps.machines[i]);
    }
  }
  for (const PlacedTransit& pt : state.transit) {
    const uint32_t item = place_item(pt.item);
    Transport& t = transports_[pt.transport];
    ++t.used;
    emit<EventKind::kTransportDepart>(LineEvent::kNone, LineEvent::kNone, item, pt.transport);
    const double travel = given(pt.remaining, [&] { return sample(def_.transports[pt.transport].time, t.rng); });
    schedule(now_ + travel, EventType::kTransportArrive, pt.transport, item);
  }
  for (size_t i = 0; i < def_.sources.size(); ++i)
    if (!def_.sources[i].saturated)
      first_arrival(static_cast<uint32_t>(i));
  draw_ahead();  // after the residual process times drawn above
  for (size_t i = machines_.size(); i-- > 0;)
    if (machines_[i].item == kNoItem && machines_[i].state != MachineState::kMaintenance)
      machine_freed_hooked(static_cast<uint32_t>(i) | freed_bits(machines_[i].station));
}

LineState LineKernel::state() const {
  LineState out;
  out.t = now_;
  for (size_t i = 0; i < sources_.size(); ++i)
    if (def_.sources[i].lot > 1) {
      out.lots.resize(sources_.size());
      break;
    }
  for (size_t i = 0; i < out.lots.size(); ++i) out.lots[i] = {sources_[i].lot_product, sources_[i].lot_left};
  const RepResult r = result();
  out.finished = r.finished;
  out.lost = r.lost_total;
  auto placed = [&](uint32_t item) {
    return PlacedItem{item_life_[item].serial, items_[item].product,
                      items_[item].at - route_start_[items_[item].product],
                      now_ - item_life_[item].release};
  };
  struct Pending {
    EventType kind = EventType::kArrival;  // kArrival: nothing pending for the machine
    double t = 0;
  };
  std::vector<Pending> pending(machines_.size());
  calendar_.for_each_pending([&](const CalendarEntry& e) {
    const auto kind = static_cast<EventType>(e.kind());
    if (kind == EventType::kFinish || kind == EventType::kFail || kind == EventType::kRepair ||
        kind == EventType::kSetupEnd || kind == EventType::kMaintainEnd)
      pending[e.subject] = {kind, e.t};
    if (kind == EventType::kTransportArrive) out.transit.push_back({e.subject, placed(e.extra), e.t - now_});
  });
  out.stations.resize(stations_.size());
  // A machine waiting for workers has not begun: its item is reported at the front of the buffer,
  // in the order the needs arose, where a free machine takes it first when the state is placed.
  std::vector<bool> waiting(machines_.size(), false);
  for (const WorkerRequest& r : requests_)
    if (r.need == Need::kWork) {
      waiting[r.machine] = true;
      out.stations[machines_[r.machine].station].queue.push_back(placed(machines_[r.machine].item));
    }
  // The rest of a batch is listed there too: a state has one item per machine (so a run started
  // from it works them again, in batches of their own).
  for (uint32_t mi = 0; mi < batch_rest_.size(); ++mi)
    for (uint32_t item : batch_rest_[mi]) out.stations[machines_[mi].station].queue.push_back(placed(item));
  // So is one holding an item whose start waits for its calendar's working time.
  for (const CalendarRun& c : calendars_)
    for (uint32_t mi : c.held) {
      waiting[mi] = true;
      out.stations[machines_[mi].station].queue.push_back(placed(machines_[mi].item));
    }
  for (uint32_t s = 0; s < stations_.size(); ++s) {
    const Station& st = stations_[s];
    PlacedStation& ps = out.stations[s];
    for (size_t k = 0; k < st.queue.size(); ++k) ps.queue.push_back(placed(st.queue[k]));
    if (st.assembles) {  // its components, in their places, in the order they came
      const Assembly& a = assemblies_[assembly_of_[s]];
      std::vector<std::pair<uint64_t, uint32_t>> waiting;
      for (size_t k = 0; k < a.stock.size(); ++k)
        for (size_t j = 0; j < a.stock[k].size(); ++j) waiting.push_back({a.order[k][j], a.stock[k][j]});
      std::sort(waiting.begin(), waiting.end());
      for (const auto& w : waiting) ps.queue.push_back(placed(w.second));
    }
    for (size_t k = 0; k < st.waiters.size(); ++k)
      if (st.waiters[k].kind == WaiterKind::kTransport)  // at the transport's end, holding its slot
        out.transit.push_back({st.waiters[k].who, placed(st.waiters[k].item), 0.0});
    ps.machines.resize(st.machines);
    for (uint32_t i = 0; i < st.machines; ++i) {
      const uint32_t mi = st.first_machine + i;
      const Machine& m = machines_[mi];
      PlacedMachine& pm = ps.machines[i];
      if (!last_product_.empty()) pm.last_product = last_product_[mi];
      if (!age_.empty()) pm.busy_since_repair = age_[mi];
      pm.off = st.off;
      if (m.state == MachineState::kMaintenance) {  // drawn afresh when still waiting for its worker
        pm.status = MachineStatus::kMaintenance;
        if (m.item != kNoItem) {  // a reworked item is placed to go on (a small departure)
          pm.holding = true;
          pm.item = placed(m.item);
        }
        if (pending[mi].kind == EventType::kMaintainEnd) pm.maintain_left = work_left(s, pending[mi].t);
        if (def_.stations[s].has_failures) pm.ttf_left = kDraw;  // renewed when it ends
        continue;
      }
      if (m.item == kNoItem || waiting[mi]) continue;
      pm.item = placed(m.item);
      const Pending& p = pending[mi];
      const double until = work_left(s, p.t);  // on a calendar: the working time left
      switch (p.kind) {
        case EventType::kFinish:
          pm.status = MachineStatus::kBusy;
          pm.remaining = until;
          pm.ttf_left = m.ttf_left + until;
          break;
        case EventType::kFail:
          pm.status = MachineStatus::kBusy;
          pm.remaining = until + work_left_[mi];
          pm.ttf_left = until;
          break;
        case EventType::kRepair:
          pm.status = MachineStatus::kDown;
          pm.remaining = work_left_[mi];
          pm.repair_left = until;
          break;
        case EventType::kSetupEnd:
          pm.status = MachineStatus::kSetup;
          pm.setup_left = until;
          pm.ttf_left = m.ttf_left;
          break;
        default:
          if (m.state == MachineState::kDown) {  // waiting for a repair worker
            pm.status = MachineStatus::kDown;
            pm.remaining = work_left_[mi];
            break;
          }
          pm.status = MachineStatus::kBlocked;
          pm.remaining = 0;
          pm.ttf_left = m.ttf_left;
      }
      if (!def_.stations[s].has_failures) pm.ttf_left = kDraw;
      // The age counts an operation whole from its start; a state gives the busy time so far.
      if (!age_.empty() && (pm.status == MachineStatus::kBusy || pm.status == MachineStatus::kDown))
        pm.busy_since_repair = std::max(0.0, age_[mi] - pm.remaining);
    }
  }
  std::sort(out.transit.begin(), out.transit.end(), [](const PlacedTransit& a, const PlacedTransit& b) {
    return a.remaining < b.remaining || (a.remaining == b.remaining && a.item.id < b.item.id);
  });
  return out;
}

}  // namespace detail
}  // namespace linetwin::sim
