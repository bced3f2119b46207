// The kernel's event loop and everything it inlines, in one translation unit with direct access
// to the state: building the state from a definition, the events (an arrival, a finish, a failure
// and repair, a transport), the freeing of machines, and the run itself.
#include "sim/detail/line_kernel.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "sim/line.hpp"  // check_line

namespace linetwin::sim::detail {

LineKernel::LineKernel(const LineDef& line, const RunDef& run, uint32_t replication)
    : def_(line), run_(run), end_time_(run.warmup + run.horizon), stats_(line) {
  assert(check_line(line).empty());
  products_ = static_cast<uint32_t>(line.products.size());
  build_routes();
  build_stations(run.seed, replication);
  build_transports(run.seed, replication);
  build_sources(run.seed, replication);
}

void LineKernel::build_routes() {
  std::vector<bool> assembles(def_.stations.size(), false);  // check_line: one product each
  for (const ProductDef& product : def_.products)
    if (product.assembled()) assembles[idx(product.route[0])] = true;
  for (const ProductDef& product : def_.products) {
    const auto& route = product.route;
    route_start_.push_back(static_cast<uint32_t>(steps_.size()));
    for (size_t k = 0; k < route.size(); ++k) {
      RouteStep step{idx(route[k]), kNoTransport, kNoStation};
      if (k + 1 < route.size()) {
        step.next = idx(route[k + 1]);
        for (size_t t = 0; t < def_.transports.size(); ++t)
          if (def_.transports[t].from == route[k] && def_.transports[t].to == route[k + 1])
            step.transport = static_cast<uint32_t>(t);
      }
      steps_.push_back(step);
      const bool into_assembly = step.next != kNoStation && assembles[step.next];
      const uint32_t hop = step.transport != kNoTransport ? kByTransport : into_assembly ? kToAssembly : step.next;
      const StationDef& sd = def_.stations[step.station];
      const bool assembling = product.assembled() && k == 0;  // its machine is freed apart
      hop_.push_back(sd.has_quality() || sd.has_needs() || sd.has_maintenance() || sd.has_batch() || assembling ? kByStation : hop);
      station_hop_.push_back(hop);
      // Back to the latest visit of the rework station up to this one (check_line: there is one).
      uint32_t back = static_cast<uint32_t>(steps_.size() - 1);
      if (sd.rework > 0)
        for (size_t j = k + 1; j-- > 0;)
          if (route[j] == sd.rework_to) {
            back = route_start_.back() + static_cast<uint32_t>(j);
            break;
          }
      rework_step_.push_back(back);
    }
  }
}

void LineKernel::build_stations(uint64_t seed, uint32_t replication) {
  const bool maintained_line = def_.has_maintenance();  // asked once: it reads every station
  for (size_t s = 0; s < def_.stations.size(); ++s) {
    const StationDef& sd = def_.stations[s];
    Station st;
    st.first_machine = static_cast<uint32_t>(machines_.size());
    st.machines = sd.machines;
    st.buffer = sd.buffer;
    st.queue_in_store = sd.buffer <= kQueueStore;
    st.process_rng = Rng(stream_seed(seed, replication, StreamKind::kProcess, sd.name));
    quality_rngs_.emplace_back(sd.has_quality() ? stream_seed(seed, replication, StreamKind::kQuality, sd.name) : 0);
    setup_rngs_.emplace_back(sd.has_setups() ? stream_seed(seed, replication, StreamKind::kSetup, sd.name) : 0);
    st.has_setups = sd.has_setups();
    st.has_needs = sd.has_needs();
    st.maintains = sd.has_maintenance();
    st.ordered = sd.discipline != Discipline::kFifo;
    if (st.ordered) st.queue_in_store = false;  // inserted in order, on the heap
    station_calendar_.push_back(def_.calendar_of(sd));
    st.timed = station_calendar_.back() != kNoCalendar;
    st.slow_start = sd.has_setups() || sd.has_needs() || sd.has_maintenance() || st.timed;
    for (uint32_t p = 0; p < products_; ++p) {
      process_.push_back(sd.process[p]);
      process_head_.emplace_back(sd.process[p]);
    }
    st.product0_process = DistHead(sd.process[0]);
    st.draws_ahead = !st.slow_start && std::all_of(sd.process.begin(), sd.process.end(), [](const Dist& d) {
      return d.kind == DistKind::kExponential;
    });
    for (uint32_t i = 0; i < sd.machines; ++i) {
      Machine m{};
      m.station = static_cast<uint32_t>(s);
      m.item = kNoItem;
      fail_rngs_.emplace_back(stream_seed(seed, replication, StreamKind::kFailure, sd.name, i));
      repair_rngs_.emplace_back(stream_seed(seed, replication, StreamKind::kRepair, sd.name, i));
      if (maintained_line)
        maintain_rngs_.emplace_back(sd.has_maintenance() ? stream_seed(seed, replication, StreamKind::kMaintenance, sd.name, i) : 0);
      m.ttf_left = sd.has_failures ? sample(sd.failures.ttf, fail_rngs_.back()) : kInf;
      machines_.push_back(m);
      work_left_.push_back(0);
    }
    stations_.push_back(std::move(st));
  }
  idle_.assign(machines_.size(), 0);
  // What only lines with these keys keep (a line without them costs nothing more).
  if (def_.has_quality()) quality_count_.resize(stations_.size());
  if (def_.has_setups()) last_product_.assign(machines_.size(), kNoProduct);
  if (def_.has_setups() || def_.has_workers() || def_.has_maintenance() || def_.has_calendars())
    cold_.resize(machines_.size());
  if (std::any_of(def_.stations.begin(), def_.stations.end(),
                  [](const StationDef& sd) { return sd.discipline != Discipline::kFifo; })) {
    queue_key_.assign(stations_.size() * products_, 0.0);
    for (size_t s = 0; s < stations_.size(); ++s)
      for (uint32_t p = 0; p < products_; ++p) {
        const StationDef& sd = def_.stations[s];
        double& key = queue_key_[s * products_ + p];
        if (sd.discipline == Discipline::kPriority) key = -double(def_.products[p].priority);
        if (sd.discipline == Discipline::kSpt) key = sd.process[p].mean();
      }
  }
  if (def_.has_assembly()) {
    assembly_of_.assign(stations_.size(), kNoStation);
    for (size_t p = 0; p < def_.products.size(); ++p) {
      const ProductDef& pd = def_.products[p];
      if (!pd.assembled()) continue;
      const uint32_t s = idx(pd.route[0]);
      Assembly a;
      a.product = static_cast<uint32_t>(p);
      for (const BomEntry& b : pd.bom) {
        a.components.push_back(idx(b.component));
        a.need.push_back(b.count);
      }
      a.stock.resize(pd.bom.size());
      a.order.resize(pd.bom.size());
      a.places = def_.stations[s].buffer;
      assembly_of_[s] = static_cast<uint32_t>(assemblies_.size());
      assemblies_.push_back(std::move(a));
      stations_[s].assembles = true;
      stations_[s].queue_in_store = false;  // its queue stays empty: the stock holds its items
    }
  }
  if (def_.has_batches()) {
    batch_of_.assign(stations_.size(), kNoStation);
    batch_rest_.resize(machines_.size());
    for (uint32_t s = 0; s < stations_.size(); ++s) {
      const StationDef& sd = def_.stations[s];
      if (!sd.has_batch()) continue;
      Batch b;
      b.size = sd.batch.size;
      b.max_wait = sd.batch.max_wait;
      batch_of_[s] = static_cast<uint32_t>(batches_.size());
      batches_.push_back(std::move(b));
      stations_[s].batches = true;
      stations_[s].queue_in_store = false;  // its arrivals are timed (enqueue_rare)
    }
  }
  if (def_.has_maintenance()) {
    age_.assign(machines_.size(), 0);
    after_maintenance_.assign(machines_.size(), AfterMaintenance::kNothing);
  }
  for (const WorkerPoolDef& w : def_.workers) pools_.push_back(Pool{int64_t(w.count), {}});
  if (def_.has_calendars()) {
    for (const CalendarDef& c : def_.calendars) {
      calendars_.emplace_back();
      calendars_.back().cal = Calendar(c);
    }
    for (uint32_t s = 0; s < stations_.size(); ++s)
      if (station_calendar_[s] != kNoCalendar) calendars_[station_calendar_[s]].stations.push_back(s);
    for (uint32_t p = 0; p < pools_.size(); ++p)
      if (const uint32_t c = def_.calendar_of(def_.workers[p]); c != kNoCalendar) calendars_[c].pools.push_back(p);
    off_mark_.resize(machines_.size());
  }
  // Below this size the line's state stays in the first-level cache, where prefetching is waste.
  prefetch_ = stations_.size() * sizeof(Station) + machines_.size() * sizeof(Machine) > (16u << 10);
}

void LineKernel::build_transports(uint64_t seed, uint32_t replication) {
  for (const TransportDef& td : def_.transports) {
    Transport t;
    t.to = idx(td.to);
    t.capacity = td.capacity;
    const std::string name = def_.stations[idx(td.from)].name + ">" + def_.stations[idx(td.to)].name;
    t.rng = Rng(stream_seed(seed, replication, StreamKind::kTransport, name));
    transports_.push_back(std::move(t));
  }
}

void LineKernel::build_sources(uint64_t seed, uint32_t replication) {
  std::vector<std::vector<uint32_t>> saturated(stations_.size());
  for (size_t i = 0; i < def_.sources.size(); ++i) {
    const SourceDef& sd = def_.sources[i];
    Source src;
    double total = 0;
    for (const auto& m : sd.mix) total += m.weight;
    double acc = 0;
    for (const auto& m : sd.mix) {
      acc += m.weight / total;
      src.cumulative.push_back(acc);
      src.products.push_back(idx(m.product));
    }
    src.cumulative.back() = 1.0;
    src.arrival_rng = Rng(stream_seed(seed, replication, StreamKind::kInterarrival, sd.name));
    src.mix_rng = Rng(stream_seed(seed, replication, StreamKind::kMix, sd.name));
    src.lot = sd.lot;
    if (sd.saturated) {
      const uint32_t first = idx(def_.products[src.products[0]].route[0]);
      saturated[first].push_back(static_cast<uint32_t>(i));
    }
    sources_.push_back(std::move(src));
  }
  for (size_t s = 0; s < stations_.size(); ++s) {
    stations_[s].saturated_first = static_cast<uint32_t>(saturated_.size());
    stations_[s].saturated_count = static_cast<uint32_t>(saturated[s].size());
    saturated_.insert(saturated_.end(), saturated[s].begin(), saturated[s].end());
  }
}

void LineKernel::notify(EventKind kind, uint32_t station, uint32_t machine, uint32_t item,
                     uint32_t transport, double value) {
  LineEvent e;
  e.t = now_;
  e.kind = kind;
  e.station = station;
  e.machine = machine == LineEvent::kNone
                  ? machine
                  : machine - stations_[machines_[machine].station].first_machine;
  e.transport = transport;
  e.value = value;
  if (item != kNoItem) {
    e.item = item_life_[item].serial;
    e.product = items_[item].product;
  }
  for (Observer* o : observers_.list) o->on_event(e);
}

uint32_t LineKernel::new_item(uint32_t source) {
  Source& src = sources_[source];
  uint32_t product = src.products[0];
  if (src.products.size() > 1) {
    // One draw per lot; a lot of 1 draws for every item, as a mix did before lots.
    if (src.lot_left == 0) {
      const double u = src.mix_rng.uniform();
      size_t k = 0;
      while (u > src.cumulative[k]) ++k;
      src.lot_product = src.products[k];
      src.lot_left = src.lot;
    }
    --src.lot_left;
    product = src.lot_product;
  }
  return alloc_item(product);
}

uint32_t LineKernel::alloc_item(uint32_t product) {
  uint32_t slot;
  if (!free_items_.empty()) {
    slot = free_items_.back();
    free_items_.pop_back();
  } else {
    slot = static_cast<uint32_t>(items_.size());
    items_.emplace_back();
    item_life_.emplace_back();
  }
  items_[slot] = Item{product, route_start_[product]};
  item_life_[slot] = ItemLife{now_, ++serial_};
  if (++alive_ > run_.max_items) unstable_ = true;
  return slot;
}

template <bool kHooks, bool kTimed>
void LineKernel::on_arrival(uint32_t source) {
  const SourceDef& sd = def_.sources[source];
  const double gap = sample(sd.interarrival, sources_[source].arrival_rng);
  if constexpr (kTimed) {
    schedule(timed_end(calendars_[sd.calendar], gap), EventType::kTimedArrival, source);
  } else {
    schedule(now_ + gap, EventType::kArrival, source);
  }
  const uint32_t item = new_item(source);
  const uint32_t station = steps_[items_[item].at].station;
  if (can_accept<kHooks>(station, item)) {
    emit<EventKind::kRelease, kHooks>(LineEvent::kNone, LineEvent::kNone, item);
    accept<kHooks>(station, item);
  } else {
    emit<EventKind::kLost, kHooks>(station, LineEvent::kNone, item);
    free_item(item);
  }
}

template <bool kHooks>
void LineKernel::accept(uint32_t station, uint32_t item) {
  if (kHooks && plan_) [[unlikely]] return accept_planned(station, item);
  Station& st = stations_[station];
  emit<EventKind::kArrive, kHooks>(station, LineEvent::kNone, item);
  if (st.idle_count > 0) {
    // One machine: the stack holds only it, so no need to read the stack (a cache miss less).
    --st.idle_count;
    const uint32_t m = st.machines == 1 ? st.first_machine : idle_[st.first_machine + st.idle_count];
    start<kHooks>(m, item);
  } else {
    enqueue(st, station, item);  // can_accept found a free place
    emit<EventKind::kEnqueue, kHooks>(station, LineEvent::kNone, item);
  }
}

template <bool kHooks>
void LineKernel::vacate(uint32_t mi) {
  Machine& m = machines_[mi];
  const uint32_t item = m.item;
  m.item = kNoItem;
  emit<EventKind::kLeave, kHooks>(m.station, mi, item);
}

template <bool kHooks>
void LineKernel::block(uint32_t mi) {
  Machine& m = machines_[mi];
  emit<EventKind::kBlock, kHooks>(m.station, mi, m.item);
}

template <bool kHooks>
void LineKernel::on_finish(uint32_t mi, uint32_t station) {
  Machine& m = machines_[mi];
  emit<EventKind::kFinish, kHooks>(station, mi, m.item);
  move_on<kHooks>(mi, station, m.hop);  // not through the item or its step: cache misses less to wait for
}

template <bool kHooks, bool kFree>
bool LineKernel::move_on(uint32_t mi, uint32_t station, uint32_t hop) {
  Machine& m = machines_[mi];
  const uint32_t item = m.item;
  if (hop == kNoStation) {  // leaving the last station never blocks
    vacate<kHooks>(mi);
    emit<EventKind::kComplete, kHooks>(LineEvent::kNone, LineEvent::kNone, item, LineEvent::kNone,
         now_ - item_life_[item].release);
    if (kHooks && plan_) [[unlikely]] ++plan_finished_;
    free_item(item);
    if constexpr (kFree) machine_freed<kHooks>(mi, station);
    return true;
  }
  if (hop >= kToAssembly) [[unlikely]] {
    if (hop == kToAssembly) return to_assembly<kHooks, kFree>(mi, station);
    if constexpr (kFree)
      if (hop == kByStation) return on_station_done<kHooks>(mi, station), true;
    const uint32_t tr = steps_[items_[item].at].transport;
    Transport& t = transports_[tr];
    if (t.used < t.capacity) {
      vacate<kHooks>(mi);
      send_into_transport<kHooks>(tr, item);
      if constexpr (kFree) machine_freed<kHooks>(mi, station);
      return true;
    }
    if constexpr (!kFree) return false;
    block<kHooks>(mi);
    t.blocked.push_back(mi);
    return false;
  }
  const uint32_t next = hop;
  if (can_accept<kHooks>(next, item)) {
    ++items_[item].at;
    vacate<kHooks>(mi);
    accept<kHooks>(next, item);
    if constexpr (kFree) machine_freed<kHooks>(mi, station);
    return true;
  }
  if constexpr (!kFree) return false;
  block<kHooks>(mi);
  stations_[next].waiters.push_back(Waiter{WaiterKind::kMachine, mi, item});
  return false;
}

template <bool kHooks, bool kFree>
bool LineKernel::on_quality(uint32_t mi, uint32_t station) {
  const StationDef& sd = def_.stations[station];
  const uint32_t item = machines_[mi].item;
  const double u = quality_rngs_[station].uniform();
  if (measuring_) {
    ++quality_count_[station].finished;
    if (u < sd.scrap + sd.rework) ++quality_count_[station].bad;
  }
  if (u < sd.scrap) {
    // Scrapped before the machine lets go: whoever follows the events (a trace, the twin) sees
    // the item leave the line here, not move on.
    emit<EventKind::kScrap, kHooks>(station, mi, item, LineEvent::kNone, now_ - item_life_[item].release);
    vacate<kHooks>(mi);
    free_item(item);
    if constexpr (kFree) machine_freed<kHooks>(mi, station);
    return true;
  }
  if (u < sd.scrap + sd.rework) {
    emit<EventKind::kRework, kHooks>(station, mi, item);
    if constexpr (!kFree) after_maintenance_[mi] = AfterMaintenance::kRework;
    return rework<kHooks, kFree>(mi, station, item);
  }
  if constexpr (!kFree) after_maintenance_[mi] = AfterMaintenance::kMoveOn;
  return move_on<kHooks, kFree>(mi, station, station_hop_[items_[item].at]);
}

template <bool kHooks, bool kFree>
bool LineKernel::rework(uint32_t mi, uint32_t station, uint32_t item) {
  const uint32_t back = rework_step_[items_[item].at];
  const uint32_t to = steps_[back].station;
  Station& st = stations_[to];
  if (to == station) {
    // Back into its own station's queue, as a new arrival; with the buffer full the machine works
    // it again at once (it has no place to leave it and would otherwise wait for itself).
    if (st.queue.size() >= st.buffer) {
      if constexpr (!kFree) return false;  // after the maintenance
      items_[item].at = back;
      start<kHooks>(mi, item);
      return false;
    }
    items_[item].at = back;
    vacate<kHooks>(mi);
    emit<EventKind::kArrive, kHooks>(to, LineEvent::kNone, item);
    enqueue(st, to, item);
    emit<EventKind::kEnqueue, kHooks>(to, LineEvent::kNone, item);
    if constexpr (kFree) machine_freed<kHooks>(mi, station);
    return true;
  }
  if (can_accept<kHooks>(to, item)) {
    items_[item].at = back;
    vacate<kHooks>(mi);
    accept<kHooks>(to, item);
    if constexpr (kFree) machine_freed<kHooks>(mi, station);
    return true;
  }
  if constexpr (!kFree) return false;
  block<kHooks>(mi);
  st.waiters.push_back(Waiter{WaiterKind::kRework, mi, item});
  return false;
}

template <bool kHooks, bool kFree>
bool LineKernel::to_assembly(uint32_t mi, uint32_t station) {
  Machine& m = machines_[mi];
  const uint32_t item = m.item;
  const uint32_t to = steps_[items_[item].at].next;
  const Assembly& a = assemblies_[assembly_of_[to]];
  const uint32_t product = items_[item].product;
  size_t k = 0;
  while (a.components[k] != product) ++k;  // check_line: the component is in the bill
  if (a.stock[k].size() < a.places) {
    ++items_[item].at;
    vacate<kHooks>(mi);
    into_stock<kHooks>(to, item);
    if constexpr (kFree) machine_freed<kHooks>(mi, station);
    try_assemble<kHooks>(to);
    return true;
  }
  if constexpr (!kFree) return false;
  block<kHooks>(mi);
  stations_[to].waiters.push_back(Waiter{WaiterKind::kMachine, mi, item});
  return false;
}

template <bool kHooks>
void LineKernel::transport_to_assembly(uint32_t tr, uint32_t item) {
  const uint32_t to = transports_[tr].to;
  const Assembly& a = assemblies_[assembly_of_[to]];
  size_t k = 0;
  while (a.components[k] != items_[item].product) ++k;
  if (a.stock[k].size() < a.places) {
    into_stock<kHooks>(to, item);
    machine_freed<kHooks>(release_slot<kHooks>(tr));
    try_assemble<kHooks>(to);
  } else {
    stations_[to].waiters.push_back(Waiter{WaiterKind::kTransport, tr, item});
  }
}

template <bool kHooks>
void LineKernel::into_stock(uint32_t station, uint32_t item) {
  Assembly& a = assemblies_[assembly_of_[station]];
  size_t k = 0;
  while (a.components[k] != items_[item].product) ++k;
  a.stock[k].push_back(item);
  a.order[k].push_back(a.arrivals++);
  emit<EventKind::kArrive, kHooks>(station, LineEvent::kNone, item);
  emit<EventKind::kEnqueue, kHooks>(station, LineEvent::kNone, item);
}

template <bool kHooks>
void LineKernel::try_assemble(uint32_t station) {
  Assembly& a = assemblies_[assembly_of_[station]];
  while (!a.free.empty()) {
    for (size_t k = 0; k < a.components.size(); ++k)
      if (a.stock[k].size() < a.need[k]) return;
    const uint32_t mi = a.free.back();
    a.free.pop_back();
    for (size_t k = 0; k < a.components.size(); ++k)
      for (uint32_t n = 0; n < a.need[k]; ++n) {
        const uint32_t c = a.stock[k].front();
        a.stock[k].pop_front();
        a.order[k].pop_front();
        emit<EventKind::kDequeue, kHooks>(station, LineEvent::kNone, c);
        emit<EventKind::kConsume, kHooks>(station, mi, c, LineEvent::kNone, now_ - item_life_[c].release);
        free_item(c);
      }
    const uint32_t made = alloc_item(a.product);
    emit<EventKind::kRelease, kHooks>(LineEvent::kNone, LineEvent::kNone, made);
    emit<EventKind::kArrive, kHooks>(station, LineEvent::kNone, made);
    start<kHooks>(mi, made);
    refill_stock<kHooks>(station);
  }
}

template <bool kHooks>
void LineKernel::refill_stock(uint32_t station) {
  // The components that wait for a place (on their machines, or at a transport's end) take the
  // places a set freed, first come first served within each component.
  Assembly& a = assemblies_[assembly_of_[station]];
  auto& waiters = stations_[station].waiters;
  for (size_t i = 0; i < waiters.size();) {
    const Waiter w = waiters[i];
    size_t k = 0;
    while (a.components[k] != items_[w.item].product) ++k;
    if (a.stock[k].size() >= a.places) {
      ++i;
      continue;
    }
    for (size_t j = i; j > 0; --j) waiters[j] = waiters[j - 1];  // out of the ring, order kept
    waiters.pop_front();
    uint32_t freed = kNoMachine;
    if (w.kind == WaiterKind::kTransport) {
      into_stock<kHooks>(station, w.item);
      freed = release_slot<kHooks>(w.who);
    } else {
      ++items_[w.item].at;
      vacate<kHooks>(w.who);
      into_stock<kHooks>(station, w.item);
      freed = w.kind == WaiterKind::kAssembler ? w.who | kAssemblerBit
              : w.kind == WaiterKind::kBatcher  ? w.who | kBatchBit
                                                : w.who;
    }
    machine_freed<kHooks>(freed);
    i = 0;  // what the freeing did may have changed the list: look again from its front
  }
}

template <bool kHooks>
void LineKernel::assembly_freed(uint32_t mi) {
  const uint32_t station = machines_[mi].station;
  assemblies_[assembly_of_[station]].free.push_back(mi);
  try_assemble<kHooks>(station);
}

template <bool kHooks>
void LineKernel::assembly_done(uint32_t mi, uint32_t station) {
  // Its item goes on as any would, but its machine, freed, goes back to the sets.
  Machine& m = machines_[mi];
  const uint32_t item = m.item;
  const uint32_t hop = station_hop_[items_[item].at];
  if (move_on<kHooks, false>(mi, station, hop)) return assembly_freed<kHooks>(mi);
  block<kHooks>(mi);
  if (hop == kByTransport) {
    transports_[steps_[items_[item].at].transport].blocked.push_back(mi | kAssemblerBit);
  } else {
    const uint32_t next = hop == kToAssembly || hop == kNoStation ? steps_[items_[item].at].next : hop;
    stations_[next].waiters.push_back(Waiter{WaiterKind::kAssembler, mi, item});
  }
}

template <bool kHooks>
void LineKernel::on_station_done(uint32_t mi, uint32_t station) {
  const Station& st = stations_[station];
  if (st.has_needs) release_workers<kHooks>(station, false);
  if (st.assembles) return assembly_done<kHooks>(mi, station);
  if (st.batches) return batch_move<kHooks>(mi, station);
  if (st.maintains && age_[mi] >= def_.stations[station].maintenance.every) [[unlikely]]
    return finish_then_maintain<kHooks>(mi, station);
  if (def_.stations[station].has_quality()) return on_quality<kHooks>(mi, station), void();
  move_on<kHooks>(mi, station, station_hop_[items_[machines_[mi].item].at]);
}

template <bool kHooks>
void LineKernel::finish_then_maintain(uint32_t mi, uint32_t station) {
  // The finished item leaves as it would, but the machine takes no work: it is maintained, with
  // the item still on it when there is no place for it (it goes on when the maintenance ends).
  after_maintenance_[mi] = AfterMaintenance::kMoveOn;
  machines_[mi].hop = station_hop_[items_[machines_[mi].item].at];
  const bool left = def_.stations[station].has_quality() ? on_quality<kHooks, false>(mi, station)
                                                          : move_on<kHooks, false>(mi, station, machines_[mi].hop);
  if (left) after_maintenance_[mi] = AfterMaintenance::kNothing;
  enter_cold(mi, MachineState::kMaintenance);  // also while it waits for its worker
  emit<EventKind::kMaintain, kHooks>(station, mi, machines_[mi].item);
  request_maintenance<kHooks>(mi);
}

void LineKernel::take_needs(uint32_t station, int64_t sign) {
  for (const WorkerNeed& n : def_.stations[station].needs) {
    pools_[n.pool].free -= sign * int64_t(n.count);
    pools_[n.pool].busy.add(now_, sign * int64_t(n.count));
  }
}

template <bool kHooks>
bool LineKernel::request_workers(uint32_t mi) {
  const uint32_t s = machines_[mi].station;
  for (const WorkerNeed& n : def_.stations[s].needs)
    if (pools_[n.pool].free < int64_t(n.count) || !pools_[n.pool].on) {
      enter_cold(mi, MachineState::kWaiting);
      emit<EventKind::kWait, kHooks>(s, mi, machines_[mi].item);
      requests_.push_back(WorkerRequest{mi, Need::kWork});
      return false;
    }
  take_needs(s, +1);
  return true;
}

template <bool kHooks>
void LineKernel::release_workers(uint32_t who, bool repair) {
  if (repair) {
    ++pools_[who].free;
    pools_[who].busy.add(now_, -1);
  } else {
    take_needs(who, -1);
  }
  grant_waiting<kHooks>();
}

template <bool kHooks>
void LineKernel::grant_waiting() {
  // First fit in the order the needs arose: a request whose workers are not all free lets a later
  // one that can start go first (workers are never reserved).
  for (size_t k = 0; k < requests_.size();) {
    const WorkerRequest r = requests_[k];
    const uint32_t s = machines_[r.machine].station;
    // Off its calendar a station takes no one, and a pool off its own gives no one.
    auto has = [&](uint32_t pool, uint32_t n) { return pools_[pool].on && pools_[pool].free >= int64_t(n); };
    bool free = !stations_[s].off;
    if (r.need == Need::kRepair) {
      free = free && has(def_.stations[s].failures.repair_by, 1);
    } else if (r.need == Need::kMaintain) {
      free = free && has(def_.stations[s].maintenance.by, 1);
    } else {
      for (const WorkerNeed& n : def_.stations[s].needs) free = free && has(n.pool, n.count);
    }
    if (!free) {
      ++k;
      continue;
    }
    requests_.erase(requests_.begin() + std::ptrdiff_t(k));
    if (r.need == Need::kRepair) {
      request_repair<kHooks>(r.machine);
    } else if (r.need == Need::kMaintain) {
      request_maintenance<kHooks>(r.machine);
    } else {
      take_needs(s, +1);
      start_granted<kHooks>(r.machine);
    }
  }
}

template <bool kHooks>
void LineKernel::request_repair(uint32_t mi, double repair) {
  const Machine& m = machines_[mi];
  const FailureDef& f = def_.stations[m.station].failures;
  if (f.repair_by != kNoPool) {
    Pool& p = pools_[f.repair_by];
    if (p.free <= 0 || !p.on || stations_[m.station].off) {  // down until a worker comes; the repair time is drawn then
      requests_.push_back(WorkerRequest{mi, Need::kRepair});
      return;
    }
    --p.free;
    p.busy.add(now_, +1);
  }
  if (!(repair >= 0)) repair = sample(f.ttr, repair_rngs_[mi]);
  schedule(end_of(m.station, repair), EventType::kRepair, mi, m.station);
}

template <bool kHooks>
void LineKernel::request_maintenance(uint32_t mi, double duration) {
  const uint32_t s = machines_[mi].station;
  const MaintenanceDef& md = def_.stations[s].maintenance;
  if (md.by != kNoPool) {
    Pool& p = pools_[md.by];
    if (p.free <= 0 || !p.on || stations_[s].off) {  // the duration is drawn when the worker comes
      requests_.push_back(WorkerRequest{mi, Need::kMaintain});
      return;
    }
    --p.free;
    p.busy.add(now_, +1);
  }
  if (!(duration >= 0)) duration = sample(md.duration, maintain_rngs_[mi]);
  schedule(end_of(s, duration), EventType::kMaintainEnd, mi, s);
}

template <bool kHooks>
void LineKernel::on_maintained(uint32_t mi) {
  Machine& m = machines_[mi];
  const StationDef& sd = def_.stations[m.station];
  emit<EventKind::kMaintained, kHooks>(m.station, mi, kNoItem);
  leave_cold(mi);
  age_[mi] = 0;
  if (sd.has_failures) m.ttf_left = sample(sd.failures.ttf, fail_rngs_[mi]);  // as good as new
  if (sd.maintenance.by != kNoPool) release_workers<kHooks>(sd.maintenance.by, true);
  if (m.item == kNoItem) return machine_freed<kHooks>(mi, m.station);
  // The finished item that found no place when the maintenance began goes on now (or blocks).
  const uint32_t station = m.station, item = m.item;
  if (after_maintenance_[mi] == AfterMaintenance::kRework) {
    rework<kHooks>(mi, station, item);
  } else {
    move_on<kHooks>(mi, station, m.hop);
  }
}

template <bool kHooks>
void LineKernel::start_granted(uint32_t mi) {
  leave_cold(mi);
  const uint32_t item = machines_[mi].item;
  if (stations_[machines_[mi].station].has_setups)
    if (begin_setup<kHooks>(mi, item)) return;
  start_counted<kHooks>(mi, item);
}

template <bool kHooks>
void LineKernel::start_slow(uint32_t mi, uint32_t item) {
  const Station& st = stations_[machines_[mi].station];
  if (st.off) [[unlikely]] {  // the machine holds the item and starts it when work resumes
    machines_[mi].item = item;
    calendars_[station_calendar_[machines_[mi].station]].held.push_back(mi);
    return;
  }
  if (st.has_needs) {
    machines_[mi].item = item;
    if (!request_workers<kHooks>(mi)) return;  // it waits, holding the item
  }
  if (st.has_setups)
    if (begin_setup<kHooks>(mi, item)) return;
  start_counted<kHooks>(mi, item);
}

template <bool kHooks>
bool LineKernel::begin_setup(uint32_t mi, uint32_t item) {
  const uint32_t product = items_[item].product;
  const uint32_t last = last_product_[mi];
  if (last == product) return false;
  Machine& m = machines_[mi];
  if (last == kNoProduct) {  // a machine's first item: it starts set up for it
    last_product_[mi] = product;
    return false;
  }
  const Dist& d = def_.stations[m.station].setups[last * products_ + product];
  if (d.kind == DistKind::kConstant && d.value == 0) {  // no changeover for this pair
    last_product_[mi] = product;
    return false;
  }
  // The machine stays set up for `last` until the setup ends (kSetupEnd), as a state reports it.
  m.item = item;
  enter_cold(mi, MachineState::kSetup);
  emit<EventKind::kSetup, kHooks>(m.station, mi, item);
  schedule(end_of(m.station, sample(d, setup_rngs_[m.station])), EventType::kSetupEnd, mi, m.station);
  return true;
}

void LineKernel::enter_cold(uint32_t mi, MachineState s) {
  Machine& m = machines_[mi];
  if (is_hot(m.state)) {
    m.clock.time[static_cast<int>(m.state)] += now_;
  } else {
    cold_[mi].in(m.state) += now_;
  }
  cold_[mi].in(s) -= now_;
  m.state = s;
}

void LineKernel::leave_cold(uint32_t mi) {
  Machine& m = machines_[mi];
  cold_[mi].in(m.state) += now_;
  m.state = MachineState::kStarved;
  m.clock.time[static_cast<int>(MachineState::kStarved)] -= now_;
}

template <bool kHooks>
void LineKernel::send_into_transport(uint32_t tr, uint32_t item) {
  Transport& t = transports_[tr];
  ++t.used;
  ++items_[item].at;
  emit<EventKind::kTransportDepart, kHooks>(LineEvent::kNone, LineEvent::kNone, item, tr);
  schedule(now_ + sample(def_.transports[tr].time, t.rng), EventType::kTransportArrive, tr, item);
}

template <bool kHooks>
void LineKernel::on_transport_arrive(uint32_t tr, uint32_t item) {
  emit<EventKind::kTransportArrive, kHooks>(LineEvent::kNone, LineEvent::kNone, item, tr);
  const uint32_t to = transports_[tr].to;
  if (stations_[to].assembles) [[unlikely]] return transport_to_assembly<kHooks>(tr, item);
  if (can_accept<kHooks>(to, item)) {
    accept<kHooks>(to, item);
    machine_freed<kHooks>(release_slot<kHooks>(tr));
  } else {
    // The item waits at the transport's end and keeps its slot.
    stations_[to].waiters.push_back(Waiter{WaiterKind::kTransport, tr, item});
  }
}

template <bool kHooks>
uint32_t LineKernel::release_slot(uint32_t tr) {
  Transport& t = transports_[tr];
  --t.used;
  if (t.blocked.empty()) return kNoMachine;
  const uint32_t held = t.blocked.front();  // with kAssemblerBit or kBatchBit (see there)
  t.blocked.pop_front();
  const uint32_t mi = held & kMachineMask;
  const uint32_t item = machines_[mi].item;
  vacate<kHooks>(mi);
  send_into_transport<kHooks>(tr, item);
  return held;
}

template <bool kHooks>
uint32_t LineKernel::take_from_waiter(uint32_t station, uint32_t& item) {
  Station& st = stations_[station];
  const Waiter w = st.waiters.front();
  st.waiters.pop_front();
  item = w.item;
  if (w.kind == WaiterKind::kTransport) return release_slot<kHooks>(w.who);
  if (w.kind == WaiterKind::kRelease) return kNoMachine;  // a planned job at the line's door
  if (w.kind >= WaiterKind::kRework) [[unlikely]] {
    if (w.kind >= WaiterKind::kAssembler) {
      ++items_[item].at;
      vacate<kHooks>(w.who);
      // Freed by the caller once it has placed the item.
      return w.who | (w.kind == WaiterKind::kAssembler ? kAssemblerBit : kBatchBit);
    }
    items_[item].at = rework_step_[items_[item].at];
  } else {
    ++items_[item].at;
  }
  vacate<kHooks>(w.who);
  return w.who;
}

template <bool kHooks>
void LineKernel::machine_freed(uint32_t mi, uint32_t station) {
  // A freed machine takes work, which may free a place upstream, which frees a machine there:
  // followed as a loop, not recursion, since a blockage can reach back along a long line.
  if (kHooks && plan_) [[unlikely]] return machine_freed_planned(mi);
  if (mi >= kBatchBit) [[unlikely]] return special_freed<kHooks>(mi);  // none, an assembly's or a batch's machine
  if (station == kNoStation) station = machines_[mi].station;
  for (;;) {
    Station& st = stations_[station];
    uint32_t next = kNoMachine;
    if (!st.queue.empty()) {
      const uint32_t item = st.queue.front();
      st.queue.pop_front();
      emit<EventKind::kDequeue, kHooks>(station, LineEvent::kNone, item);
      start<kHooks>(mi, item);
      if (!st.waiters.empty()) {  // the freed buffer place goes to the first one waiting
        uint32_t moved;
        next = take_from_waiter<kHooks>(station, moved);
        emit<EventKind::kArrive, kHooks>(station, LineEvent::kNone, moved);
        enqueue(st, station, moved);  // into the place just freed
        emit<EventKind::kEnqueue, kHooks>(station, LineEvent::kNone, moved);
      }
    } else if (!st.waiters.empty()) {
      uint32_t moved;
      next = take_from_waiter<kHooks>(station, moved);
      emit<EventKind::kArrive, kHooks>(station, LineEvent::kNone, moved);
      start<kHooks>(mi, moved);
    } else if (st.saturated_count > 0) {
      start<kHooks>(mi, release_saturated<kHooks>(st, station));
    } else {
      idle_[st.first_machine + st.idle_count++] = mi;
    }
    if (next >= kBatchBit) [[unlikely]] return special_freed<kHooks>(next);
    mi = next;
    station = machines_[mi].station;
  }
}

template <bool kHooks>
bool LineKernel::can_accept(uint32_t station, uint32_t item) const {
  if (kHooks && plan_) [[unlikely]] return can_accept_planned(station, item);
  const Station& st = stations_[station];
  return st.idle_count > 0 || st.queue.size() < st.buffer;
}

template <bool kHooks>
void LineKernel::process(const CalendarEntry& e) {
  // Most events are finishes: tested before the switch, so that they skip its indirect jump,
  // which the branch predictor serves worse than one well-predicted test. A finish's extra is its
  // machine's station.
  const auto type = static_cast<EventType>(e.kind());
  if (type == EventType::kFinish) [[likely]] return on_finish<kHooks>(e.subject, e.extra);
  switch (type) {
    case EventType::kArrival: on_arrival<kHooks>(e.subject); break;
    case EventType::kTimedArrival: on_arrival<kHooks, true>(e.subject); break;
    case EventType::kFinish: break;  // above
    case EventType::kFail: {
      const uint32_t mi = e.subject;
      Machine& m = machines_[mi];
      emit<EventKind::kFail, kHooks>(m.station, mi, m.item);
      request_repair<kHooks>(mi);
      break;
    }
    case EventType::kRepair: {
      const uint32_t mi = e.subject;
      Machine& m = machines_[mi];
      emit<EventKind::kRepair, kHooks>(m.station, mi, m.item);
      const FailureDef& f = def_.stations[m.station].failures;
      m.ttf_left = sample(f.ttf, fail_rngs_[mi]);
      if (!age_.empty()) age_[mi] = work_left_[mi];  // a repair renews the machine's age too
      begin_any(mi, work_left_[mi]);
      if (f.repair_by != kNoPool) release_workers<kHooks>(f.repair_by, true);
      break;
    }
    case EventType::kTransportArrive: on_transport_arrive<kHooks>(e.subject, e.extra); break;
    case EventType::kPlanRelease: on_plan_release(e.subject); break;
    case EventType::kSetupEnd: {
      const uint32_t mi = e.subject, item = machines_[mi].item;
      leave_cold(mi);
      last_product_[mi] = items_[item].product;
      start_counted<kHooks>(mi, item);
      break;
    }
    case EventType::kMaintainEnd: on_maintained<kHooks>(e.subject); break;
    case EventType::kCalendar: on_calendar<kHooks>(e.subject); break;
    case EventType::kBatch: {
      Batch& b = batches_[batch_of_[e.subject]];
      (e.extra == 0 ? b.check_pending : b.timer_set) = false;
      batch_check<kHooks>(e.subject);
      break;
    }
  }
}

void LineKernel::first_arrival(uint32_t i) {
  const SourceDef& sd = def_.sources[i];
  const double gap = sample(sd.interarrival, sources_[i].arrival_rng);
  if (sd.calendar == kNoCalendar) return schedule(now_ + gap, EventType::kArrival, i);
  schedule(timed_end(calendars_[sd.calendar], gap), EventType::kTimedArrival, i);
}

void LineKernel::enqueue_rare(Station& st, uint32_t station, uint32_t item) {
  if (st.ordered) return st.insert_ordered(item, items_[item].product, items_.data(), queue_key_.data() + station * products_);
  st.queue.push_back(item);
  batches_[batch_of_[station]].arrived.push_back(now_);
  request_batch_check(station);
}

void LineKernel::request_batch_check(uint32_t station) {
  Batch& b = batches_[batch_of_[station]];
  if (b.free.empty() || b.check_pending) return;
  b.check_pending = true;
  schedule(now_, EventType::kBatch, station, 0);
}

template <bool kHooks>
void LineKernel::batch_check(uint32_t s) {
  Batch& b = batches_[batch_of_[s]];
  Station& st = stations_[s];
  while (!b.free.empty()) {
    const size_t n = st.queue.size();
    const bool fed = st.saturated_count > 0;  // a saturated source fills every batch
    if (!fed) {
      if (n == 0) return;
      if (n < b.size && now_ < b.arrived.front() + b.max_wait) {  // more may come before the first's max_wait
        if (!b.timer_set && b.max_wait < kInf) {
          b.timer_set = true;
          schedule(b.arrived.front() + b.max_wait, EventType::kBatch, s, 1);
        }
        return;
      }
    }
    const uint32_t mi = b.free.back();
    b.free.pop_back();
    const size_t take = std::min<size_t>(n, b.size);
    std::vector<uint32_t>& batch = batch_rest_[mi];
    batch.clear();
    for (size_t k = 0; k < take; ++k) {
      batch.push_back(st.queue.front());
      st.queue.pop_front();
      b.arrived.pop_front();
      emit<EventKind::kDequeue, kHooks>(s, LineEvent::kNone, batch.back());
    }
    while (fed && batch.size() < b.size) batch.push_back(release_saturated<kHooks>(st, s));
    // Observers see each item of the batch start on the machine; the operation is the first's.
    const uint32_t first = batch.front();
    batch.erase(batch.begin());
    for (uint32_t item : batch) emit<EventKind::kStart, kHooks>(s, mi, item);
    start<kHooks>(mi, first);
    // The places the batch freed go to those waiting upstream, first come first served.
    for (size_t k = 0; k < take && !st.waiters.empty(); ++k) {
      uint32_t moved;
      const uint32_t next = take_from_waiter<kHooks>(s, moved);
      emit<EventKind::kArrive, kHooks>(s, LineEvent::kNone, moved);
      enqueue(st, s, moved);
      emit<EventKind::kEnqueue, kHooks>(s, LineEvent::kNone, moved);
      machine_freed<kHooks>(next);
    }
  }
}

template <bool kHooks>
void LineKernel::batch_move(uint32_t mi, uint32_t station) {
  // The machine's items leave one after another, each scrapped or on by its hop; the first that
  // finds no place blocks the machine with the rest (batch_continue goes on when it has left).
  Machine& m = machines_[mi];
  std::vector<uint32_t>& rest = batch_rest_[mi];
  const StationDef& sd = def_.stations[station];
  for (;;) {
    const uint32_t item = m.item;
    bool left;
    if (sd.scrap > 0 && [&] {
          const bool scrapped = quality_rngs_[station].uniform() < sd.scrap;
          if (measuring_) {
            ++quality_count_[station].finished;
            quality_count_[station].bad += scrapped;
          }
          return scrapped;
        }()) {
      emit<EventKind::kScrap, kHooks>(station, mi, item, LineEvent::kNone, now_ - item_life_[item].release);
      vacate<kHooks>(mi);
      free_item(item);
      left = true;
    } else {
      left = move_on<kHooks, false>(mi, station, station_hop_[items_[item].at]);
    }
    if (!left) {
      block<kHooks>(mi);
      const uint32_t hop = station_hop_[items_[item].at];
      if (hop == kByTransport) {
        transports_[steps_[items_[item].at].transport].blocked.push_back(mi | kBatchBit);
      } else {
        stations_[steps_[items_[item].at].next].waiters.push_back(Waiter{WaiterKind::kBatcher, mi, item});
      }
      return;
    }
    if (rest.empty()) break;
    m.item = rest.front();
    rest.erase(rest.begin());
  }
  batches_[batch_of_[station]].free.push_back(mi);
  request_batch_check(station);
}

template <bool kHooks>
void LineKernel::batch_continue(uint32_t mi) {
  // Its blocked item has left: the rest of its batch follows, or it is free.
  const uint32_t station = machines_[mi].station;
  std::vector<uint32_t>& rest = batch_rest_[mi];
  if (rest.empty()) {
    batches_[batch_of_[station]].free.push_back(mi);
    return request_batch_check(station);
  }
  machines_[mi].item = rest.front();
  rest.erase(rest.begin());
  batch_move<kHooks>(mi, station);
}

void LineKernel::start_calendars() {
  // Each calendar stands where the phase puts it; its first flip comes after.
  for (uint32_t c = 0; c < calendars_.size(); ++c) {
    CalendarRun& cr = calendars_[c];
    if (cr.cal.flips().empty()) continue;  // always at work
    ++flipping_;
    longest_period_ = std::max(longest_period_, cr.cal.period());
    const double period = cr.cal.period(), t0 = phase_;
    const double cycles = std::floor(t0 / period);
    const auto& flips = cr.cal.flips();
    uint64_t k = uint64_t(cycles) * flips.size();
    while (flip_time(cr, k) <= 0) ++k;
    cr.next = k;
    if (!cr.cal.works(t0)) stop_work(cr);
    schedule(flip_time(cr, k), EventType::kCalendar, c);
  }
}

template <bool kHooks>
void LineKernel::on_calendar(uint32_t c) {
  CalendarRun& cr = calendars_[c];
  const bool on = cr.cal.flips()[cr.next % cr.cal.flips().size()].on;
  schedule(flip_time(cr, ++cr.next), EventType::kCalendar, c);
  if (on == cr.works) return;
  if (on) return resume_work<kHooks>(cr);
  stop_work<kHooks>(cr);
}

template <bool kHooks>
void LineKernel::stop_work(CalendarRun& cr) {
  // What the machines do from now on is folded into off when work resumes (fold_off): nothing on
  // the hot paths tests the calendar.
  cr.works = false;
  for (uint32_t s : cr.stations) {
    Station& st = stations_[s];
    st.off = true;
    for (uint32_t mi = st.first_machine; mi < st.first_machine + st.machines; ++mi) {
      const Machine& m = machines_[mi];
      off_mark_[mi] = times_to(now_, m.state, m.clock, cold_[mi]);
      emit<EventKind::kOff, kHooks>(s, mi, kNoItem);
    }
  }
  for (uint32_t p : cr.pools) {
    pools_[p].on = false;
    pools_[p].off_mark = pools_[p].busy.area_to(now_);
  }
}

template <bool kHooks>
void LineKernel::resume_work(CalendarRun& cr) {
  cr.works = true;
  for (uint32_t s : cr.stations) {
    Station& st = stations_[s];
    st.off = false;
    for (uint32_t mi = st.first_machine; mi < st.first_machine + st.machines; ++mi) {
      Machine& m = machines_[mi];
      fold_off(now_, m.state, off_mark_[mi], m.clock, cold_[mi]);
      emit<EventKind::kOn, kHooks>(s, mi, kNoItem);
    }
  }
  for (uint32_t p : cr.pools) {
    Pool& pool = pools_[p];
    pool.on = true;
    pool.busy.offset -= pool.busy.area_to(now_) - pool.off_mark;  // its busy time off shift does not count
  }
  std::vector<uint32_t> held;
  held.swap(cr.held);
  for (uint32_t mi : held) {
    const uint32_t item = machines_[mi].item;
    machines_[mi].item = kNoItem;
    start_slow<kHooks>(mi, item);
  }
  if (!requests_.empty()) grant_waiting<kHooks>();
}

void LineKernel::machine_freed_hooked(uint32_t mi) { machine_freed<true>(mi); }

void LineKernel::draw_ahead() {
  for (Station& st : stations_)
    if (st.draws_ahead) st.next_exponential = standard_exponential(st.process_rng);
}

void LineKernel::init() {
  started_ = true;
  start_calendars();
  if (plan_) {  // the plan's jobs instead of the sources
    for (size_t j = 0; j < plan_->jobs.size(); ++j)
      schedule(plan_->jobs[j].release, EventType::kPlanRelease, static_cast<uint32_t>(j));
  }
  for (size_t i = 0; i < def_.sources.size() && !plan_; ++i)
    if (!def_.sources[i].saturated)
      first_arrival(static_cast<uint32_t>(i));
  draw_ahead();
  // Every machine starts empty; the highest index goes on the idle stack first so that machine 0
  // is the first to take work.
  for (size_t i = machines_.size(); i-- > 0;) machine_freed(static_cast<uint32_t>(i) | freed_bits(machines_[i].station));
}

inline void LineKernel::prefetch_next() const {
  // On a long line what the next event touches is likely out of the first-level cache: asking for
  // it ahead lets the misses overlap this event's work. A machine's events carry its station, so
  // that no load has to wait to compute these addresses. The guesses may be wrong (an arrival's
  // numbers are not a machine's and a station's); a prefetch never faults. Only the next event:
  // the one after it is known later and less surely, and asking for it too cost more work per
  // event than the misses it saved (docs/benchmarks.md, "Kernel design notes").
  if (!calendar_.guesses_right()) return;  // events tied in the heap: prefetching would be noise
  const CalendarEntry& next = calendar_.guess_top();
  __builtin_prefetch(machines_.data() + next.subject);
  __builtin_prefetch(stations_.data() + next.extra);
}

template <bool kHooks>
void LineKernel::run_events(double limit) {
  // Events with times up to `last`, one after another; the loop tests nothing else.
  auto events_until = [this](double last) {
    CalendarEntry e;
    while (!unstable_ && calendar_.pop_until(last, e)) {
      now_ = e.t;
      ++events_;
      if constexpr (!kHooks) {
        if (prefetch_) prefetch_next();
      }
      process<kHooks>(e);
    }
  };
  if (!measuring_ && run_.warmup <= limit) {
    // The warm-up's events (those before it ends), then the measured window opens.
    events_until(std::nextafter(run_.warmup, -kInf));
    if (unstable_) return;
    open_window<kHooks>();
  }
  events_until(limit);
}

template <bool kHooks>
void LineKernel::open_window() {
  now_ = run_.warmup;
  measuring_ = true;
  // Forget everything accumulated so far; levels keep their current counts.
  for (size_t i = 0; i < machines_.size(); ++i) {
    Machine& m = machines_[i];
    m.clock.restart(now_, m.state, is_hot(m.state));
    if (!cold_.empty()) {
      cold_[i] = {};
      if (!is_hot(m.state)) cold_[i].in(m.state) = -now_;
    }
  }
  for (QualityCount& q : quality_count_) q = {};
  for (Pool& p : pools_) {
    p.busy.restart(now_);
    p.off_mark = 0;
  }
  for (uint32_t i = 0; i < machines_.size(); ++i)  // off now: marked afresh
    if (stations_[machines_[i].station].off)
      off_mark_[i] = times_to(now_, machines_[i].state, machines_[i].clock, cold_[i]);
  for (uint32_t s = 0; s < stations_.size(); ++s) stations_[s].queue_area.restart(now_, queue_length(s));
  stats_.start_window(now_);
  emit<EventKind::kMeasureStart, kHooks>(LineEvent::kNone, LineEvent::kNone, kNoItem);
}

bool LineKernel::run_until(double t_stop) {
  if (!started_) init();
  if (finished_) return false;
  const double limit = std::min(t_stop, end_time_);
  // Without observers and plan, the kernel is compiled without the tests for them.
  if (plan_ && flipping_ > 0) {
    // Calendars flip for ever, so a plan on them runs a period at a time until its jobs are done
    // or nothing but the flips is left to happen (a plan that deadlocked).
    for (double t = now_; !unstable_ && calendar_.size() > flipping_ && plan_finished_ < plan_->jobs.size() && t < limit;) {
      t = std::min(limit, t + longest_period_);
      run_events<true>(t);
    }
  } else if (observers_.any || plan_) {
    run_events<true>(limit);
  } else {
    run_events<false>(limit);
  }
  // A plan ends when nothing more can happen: no event left, or only the calendars' flips.
  const bool plan_over = plan_ && (calendar_.size() <= flipping_ || plan_finished_ == plan_->jobs.size());
  if (unstable_ || limit >= end_time_ || plan_over) {
    if (!unstable_ && !plan_over) now_ = end_time_;
    finished_ = true;
    emit<EventKind::kMeasureEnd>(LineEvent::kNone, LineEvent::kNone, kNoItem);
    return false;
  }
  now_ = std::max(now_, limit);
  return true;
}

RepResult LineKernel::run() {
  run_until(end_time_);
  return result();
}

RepResult LineKernel::result() const {
  std::vector<MachineState> states;
  std::vector<MachineClock> clocks;
  std::vector<Level> queues;
  for (const Machine& m : machines_) {
    states.push_back(m.state);
    clocks.push_back(m.clock);
  }
  std::vector<ColdClock> folded;  // on a line with calendars: the machines off now, their time since as off
  if (!calendars_.empty()) {
    folded = cold_;
    for (uint32_t i = 0; i < machines_.size(); ++i)
      if (stations_[machines_[i].station].off) fold_off(now_, states[i], off_mark_[i], clocks[i], folded[i]);
  }
  for (uint32_t s = 0; s < stations_.size(); ++s) queues.push_back(stations_[s].queue_area.with(queue_length(s)));
  RepResult r = stats_.result(now_, states, clocks, calendars_.empty() ? cold_ : folded, queues, quality_count_);
  const double span = measuring_ ? now_ - run_.warmup : 0.0;
  for (size_t p = 0; p < pools_.size(); ++p) {
    // Over the pool's working time in the window: its busy area off shift was never counted.
    const Pool& pool = pools_[p];
    const double area = pool.on ? pool.busy.area_to(now_) : pool.off_mark;
    double working = span;
    if (const uint32_t c = def_.calendar_of(def_.workers[p]); c != kNoCalendar && span > 0) {
      const Calendar& cal = calendars_[c].cal;
      working = cal.working(now_ + phase_) - cal.working(run_.warmup + phase_);
    }
    r.workers.push_back(working > 0 ? area / (working * def_.workers[p].count) : std::numeric_limits<double>::quiet_NaN());
  }
  r.events = events_;
  r.unstable = unstable_;
  return r;
}

// The variants with hooks that plan.cpp and line_state.cpp call.
template uint32_t LineKernel::release_slot<true>(uint32_t);
template void LineKernel::vacate<true>(uint32_t);
template uint32_t LineKernel::take_from_waiter<true>(uint32_t, uint32_t&);
template void LineKernel::request_repair<true>(uint32_t, double);
template void LineKernel::request_maintenance<true>(uint32_t, double);

}  // namespace linetwin::sim::detail
