// The mirror's rules. Every event states a fact ("item X is on machine 1 of m2 now"); the mirror
// makes it true, and counts it as out of order when the mirrored state did not lead there. Items
// it has never seen are adopted where they are first reported, so the twin may join mid-shift.
#include "twin/live/mirror.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

namespace linetwin::live {
namespace {

bool erase_id(std::vector<std::string>& v, const std::string& id) {
  auto it = std::find(v.begin(), v.end(), id);
  if (it == v.end()) return false;
  v.erase(it);
  return true;
}

uint64_t numeric_id(const std::string& id) {
  uint64_t v = 0;
  if (id.empty() || id.size() > 19) return 0;
  for (char c : id) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + uint64_t(c - '0');
  }
  return v;
}

}  // namespace

void Moments::add(double x) {
  ++n;
  const double d = x - mean;
  mean += d / double(n);
  m2 += d * (x - mean);
}

double Moments::sd() const { return n > 1 ? std::sqrt(std::max(0.0, m2 / double(n - 1))) : 0.0; }

Mirror::Mirror(const sim::LineDef& line, bool keep_samples, bool from_start)
    : line_(line), keep_samples_(keep_samples), from_start_(from_start), unit_(1.0) {
  unit_ = seconds_in(line.time_unit);
  for (uint32_t s = 0; s < line.stations.size(); ++s) {
    station_index_[line.stations[s].name] = s;
    Station st;
    st.machines.resize(line.stations[s].machines);
    for (auto& m : st.machines) m.ttf_valid = from_start;
    st.process.resize(line.products.size());
    st.process_samples.resize(keep_samples ? line.products.size() : 0);
    if (keep_samples && line.stations[s].has_setups()) st.setup_samples.resize(line.products.size() * line.products.size());
    stations_.push_back(std::move(st));
  }
  for (uint32_t p = 0; p < line.products.size(); ++p) {
    product_index_[line.products[p].name] = p;
    std::vector<uint32_t> route;
    for (auto s : line.products[p].route) route.push_back(sim::idx(s));
    routes_.push_back(std::move(route));
  }
  lot_source_.assign(line.products.size(), -1);
  std::vector<int> makers(line.products.size(), 0);
  for (const auto& src : line.sources)
    for (const auto& m : src.mix) ++makers[sim::idx(m.product)];
  for (size_t i = 0; i < line.sources.size(); ++i)
    if (line.sources[i].lot > 1 && line.sources[i].mix.size() > 1)
      for (const auto& m : line.sources[i].mix)
        if (makers[sim::idx(m.product)] == 1) lot_source_[sim::idx(m.product)] = static_cast<int>(i);
  runs_.resize(line.sources.size());
}

const Mirror::Item* Mirror::item(const std::string& id) const {
  auto it = items_.find(id);
  return it == items_.end() ? nullptr : &it->second;
}

bool Mirror::take_out(const std::string& id, Item& it) {
  switch (it.place) {
    case Place::kBuffer: return erase_id(stations_[it.station].buffer, id);
    case Place::kTransit: return erase_id(transit_, id);
    case Place::kMachine:
      for (Machine& m : stations_[it.station].machines)
        if (m.item == id) {
          const bool held = m.mode == Mode::kHeld;
          m.item.clear();
          m.mode = Mode::kIdle;
          return held;  // leaving a machine mid-process is odd
        }
      return false;
  }
  return false;
}

void Mirror::to_transit(const std::string& id) {
  Item& it = items_[id];
  it.place = Place::kTransit;
  transit_.push_back(id);
}

void Mirror::record_process(uint32_t station, uint32_t product, double seconds) {
  const double x = std::max(0.0, seconds) / unit_;
  stations_[station].process[product].add(x);
  if (keep_samples_) stations_[station].process_samples[product].push_back(x);
}

void Mirror::record_arrival(double t) {
  if (last_arrival_ >= 0) {
    const double gap = (t - last_arrival_) / unit_;
    gaps_.add(gap);
    if (keep_samples_) gap_samples_.push_back(gap);
  } else if (from_start_) {
    gaps_.add(t / unit_);  // the first arrival comes one interarrival time after 0
    if (keep_samples_) gap_samples_.push_back(t / unit_);
  }
  last_arrival_ = t;
}

// One event being applied: where it happens, what it is about, and the first thing about it that
// did not fit (later ones are not reported, so that the message names the cause).
struct Mirror::Applying {
  const PlantEvent& e;
  uint32_t s = 0;                          // station index
  Station* st = nullptr;
  Item* known = nullptr;                   // the item, when the mirror has seen it before
  uint32_t product = 0;
  const std::vector<uint32_t>* route = nullptr;
  uint32_t first_visit = 0;                // step of the route's first visit to s (route size: none)
  double t = 0;                            // seconds, never earlier than the clock
  Machine* m = nullptr;                    // the event's machine, when it names one
  bool odd = false;
  std::string odd_why = {};

  void mark(std::string w) {
    if (!odd) odd_why = std::move(w);
    odd = true;
  }
};

// Finds what the event names; says why it is unknown when something is not there (empty: found).
std::string Mirror::locate(Applying& a) {
  const PlantEvent& e = a.e;
  auto st_it = station_index_.find(e.station);
  if (st_it == station_index_.end()) return "unknown station '" + e.station + "'";
  a.s = st_it->second;
  a.st = &stations_[a.s];
  if (e.machine >= 0 && e.machine >= int(a.st->machines.size()))
    return "station '" + e.station + "' has no machine " + std::to_string(e.machine);
  auto found = e.item.empty() ? items_.end() : items_.find(e.item);
  a.known = found == items_.end() ? nullptr : &found->second;
  a.product = a.known ? a.known->product : 0;
  if (!e.product.empty()) {
    auto p = product_index_.find(e.product);
    if (p == product_index_.end()) return "unknown product '" + e.product + "'";
    a.product = p->second;
  } else if (!a.known && line_.products.size() > 1 &&
             (e.kind == PlantEventKind::kArrive || e.kind == PlantEventKind::kStart || e.kind == PlantEventKind::kFinish)) {
    return "item '" + e.item + "' is new and has no product; the line has several";
  }
  a.route = &routes_[a.product];
  const auto& route = *a.route;
  a.first_visit = static_cast<uint32_t>(std::find(route.begin(), route.end(), a.s) - route.begin());
  if (!e.item.empty() && e.kind != PlantEventKind::kLeave && e.kind != PlantEventKind::kLost &&
      a.first_visit == route.size())
    return "product '" + line_.products[a.product].name + "' does not visit station '" + e.station + "'";
  return {};
}

// The step of an item reported at station s: the next one on its route, else the first visit.
uint32_t Mirror::step_here(const Applying& a, const Item* it) const {
  const auto& route = *a.route;
  if (it && it->step + 1 < route.size() && route[it->step + 1] == a.s) return it->step + 1;
  if (it && route[it->step] == a.s) return it->step;
  return a.first_visit;
}

// A new item of `product` came from its source: the run of one product seen last grows or a new
// one begins (for the lot that line_state() reports).
void Mirror::count_release(uint32_t product) {
  if (lot_source_[product] < 0) return;
  Run& run = runs_[static_cast<size_t>(lot_source_[product])];
  if (run.length > 0 && run.product == product) {
    ++run.length;
  } else {
    run.product = product;
    run.length = 1;
  }
}

// Brings item e.item to station s (taking it from wherever it is); adopts it if new.
Mirror::Item& Mirror::bring(Applying& a, bool arrival) {
  const PlantEvent& e = a.e;
  if (!a.known) {
    Item it;
    it.product = a.product;
    it.step = step_here(a, nullptr);
    it.released = a.t;
    it.station = a.s;
    if (arrival && it.step == 0) record_arrival(a.t);
    if (it.step == 0) count_release(a.product);
    return items_[e.item] = it;
  }
  Item& it = *a.known;
  const auto& route = *a.route;
  // Expected: it left the previous station of its route (finished on a machine, or travelling),
  // or it was sent back here for rework.
  const bool from_before = it.place != Place::kBuffer &&
                           ((it.step + 1 < route.size() && route[it.step + 1] == a.s && !it.reworked) ||
                            (it.reworked && route[it.step] == a.s));
  const bool here = it.place == Place::kBuffer && it.station == a.s && route[it.step] == a.s;
  if (!here) {
    const bool fine = take_out(e.item, it) && from_before;
    if (!fine) a.mark("item '" + e.item + "' was not on its way to station '" + e.station + "'");
    it.step = it.reworked && route[it.step] == a.s ? it.step : step_here(a, &it);
    it.reworked = false;
  } else if (arrival) {
    a.mark("item '" + e.item + "' arrived twice at station '" + e.station + "'");
    take_out(e.item, it);
  } else {
    take_out(e.item, it);
  }
  it.product = a.product;
  it.station = a.s;
  return it;
}

// The machine lets go of what it holds: a finished item moves on (the plant need not say so).
void Mirror::clear_machine(Applying& a, Machine& mm) {
  if (mm.mode == Mode::kIdle) return;
  if (mm.mode == Mode::kBusy) a.mark("machine " + std::to_string(a.e.machine) + " of station '" + a.e.station +
                                     "' was still processing item '" + mm.item + "'");
  const std::string held = mm.item;
  mm.item.clear();
  mm.mode = Mode::kIdle;
  auto it = items_.find(held);
  if (it == items_.end()) return;
  // Held at the last station of its route (which scraps or reworks, or it would be gone): done.
  if (!it->second.reworked && it->second.step + 1 >= routes_[it->second.product].size())
    finish_item(held, a.t);
  else
    to_transit(held);
}

void Mirror::finish_item(const std::string& id, double t) {
  auto it = items_.find(id);
  lead_.add((t - it->second.released) / unit_);
  items_.erase(it);
  ++finished_;
}

void Mirror::apply_arrive(Applying& a) {
  Item& it = bring(a, true);
  it.place = Place::kBuffer;
  a.st->buffer.push_back(a.e.item);
}

// A changeover for the item the machine now takes; its start follows when the setup is over.
void Mirror::apply_setup(Applying& a) {
  const PlantEvent& e = a.e;
  Machine* m = a.m;
  if (m->mode != Mode::kIdle && m->item == e.item) {
    a.mark("item '" + e.item + "' was set up for twice");
    return;
  }
  clear_machine(a, *m);
  Item& it = bring(a, false);
  it.place = Place::kMachine;
  m->item = e.item;
  m->mode = Mode::kSetup;
  m->setup_from = a.t;
  m->setup_timed = !m->off;
  if (m->down) a.mark("a machine that is down started a setup for item '" + e.item + "'");
}

// Preventive maintenance of an empty machine; afterwards it is as good as new (its busy time
// towards a failure starts afresh, as after a repair).
void Mirror::apply_maintain(Applying& a, bool begins) {
  Machine* m = a.m;
  const std::string which = "machine " + std::to_string(a.e.machine) + " of station '" + a.e.station + "'";
  if (begins) {
    if (m->maintaining) a.mark(which + " began a maintenance twice");
    // A finished item that found no place may stay on it; one in work or setup may not.
    if (m->mode == Mode::kBusy || m->mode == Mode::kSetup)
      a.mark(which + " began a maintenance while working on item '" + m->item + "'");
    m->maintaining = true;
    m->maintain_from = a.t;
    return;
  }
  if (!m->maintaining) {
    a.mark(which + " ended a maintenance it had not begun");
    return;
  }
  m->maintaining = false;
  m->busy_acc = 0;
  m->ttf_valid = true;
}

void Mirror::apply_start(Applying& a) {
  const PlantEvent& e = a.e;
  Machine* m = a.m;
  if (m->maintaining) {
    a.mark("machine " + std::to_string(e.machine) + " of station '" + e.station + "' started item '" + e.item +
           "' in maintenance");
    m->maintaining = false;
  }
  const int last = m->last_product;
  m->last_product = int(a.product);
  if (m->mode == Mode::kSetup && m->item == e.item) {  // the setup is over: the operation begins
    if (m->setup_timed && last >= 0 && !a.st->setup_samples.empty())
      a.st->setup_samples[size_t(last) * line_.products.size() + a.product].push_back((a.t - m->setup_from) / unit_);
    m->mode = Mode::kBusy;
    m->start = m->busy_from = a.t;
    m->down_on_item = 0;
    m->timed = !m->down;
    return;
  }
  if (m->mode == Mode::kHeld && m->item == e.item && a.known && a.known->reworked) {
    // Reworked where it is, with no place to wait in the queue: the machine works it again.
    a.known->reworked = false;
    m->mode = Mode::kBusy;
    m->start = m->busy_from = a.t;
    m->down_on_item = 0;
    m->timed = !m->down;
    return;
  }
  if (m->mode != Mode::kIdle && m->item == e.item) {
    a.mark("item '" + e.item + "' started twice");
    return;
  }
  clear_machine(a, *m);
  Item& it = bring(a, false);
  it.place = Place::kMachine;
  m->item = e.item;
  m->mode = Mode::kBusy;
  m->start = m->busy_from = a.t;
  m->down_on_item = 0;
  m->timed = !m->down;
  if (m->down) a.mark("a machine that is down started item '" + e.item + "'");
}

void Mirror::apply_finish(Applying& a) {
  const PlantEvent& e = a.e;
  Machine* m = a.m;
  const double t = a.t;
  if (m->item != e.item || m->mode != Mode::kBusy) {
    a.mark("machine " + std::to_string(e.machine) + " of station '" + e.station + "' finished item '" +
           e.item + "', which it was not processing");
    if (m->item != e.item) clear_machine(a, *m);
    Item& it = bring(a, false);
    it.place = Place::kMachine;
    m->item = e.item;
    m->timed = false;
  } else if (m->timed && !m->down) {
    record_process(a.s, a.product, t - m->start - m->down_on_item);
  }
  if (m->down) a.mark("a machine that is down finished item '" + e.item + "'");
  if (m->mode == Mode::kBusy && !m->down) m->busy_acc += t - m->busy_from;
  m->timed = false;
  Item& it = items_[e.item];
  // Leaving the last station never blocks: finished, unless the station may still scrap or
  // rework it (then a scrap, a rework or its leave says which).
  if (it.step + 1 >= a.route->size() && !line_.stations[a.s].has_quality()) {
    m->item.clear();
    m->mode = Mode::kIdle;
    finish_item(e.item, t);
  } else {
    m->mode = Mode::kHeld;
  }
}

void Mirror::apply_leave(Applying& a) {
  const PlantEvent& e = a.e;
  Machine* m = a.m;
  if (m->item == e.item && m->mode == Mode::kHeld) {
    const Item& it = items_[e.item];
    m->item.clear();
    m->mode = Mode::kIdle;
    if (!it.reworked && it.step + 1 >= a.route->size())
      finish_item(e.item, a.t);
    else
      to_transit(e.item);
  } else if (a.known) {
    a.mark("item '" + e.item + "' left machine " + std::to_string(e.machine) + " of station '" + e.station +
           "', which did not hold it finished");
    if (a.known->place != Place::kTransit) {
      take_out(e.item, *a.known);
      to_transit(e.item);
    }
  }  // an item unknown here has finished already: nothing to do
}

// The item leaves the line from the station that scrapped it (held on its machine, or just let go).
void Mirror::apply_scrap(Applying& a) {
  if (!a.known) {
    a.mark("item '" + a.e.item + "' was scrapped at station '" + a.e.station + "' without being seen there");
    ++scrapped_;
    return;
  }
  if (a.known->station != a.s) a.mark("item '" + a.e.item + "' was scrapped at station '" + a.e.station + "', where it was not");
  take_out(a.e.item, *a.known);
  items_.erase(a.e.item);
  ++scrapped_;
}

// An assembly took the component from its place in the station's buffer: it leaves the line.
void Mirror::apply_consume(Applying& a) {
  if (!a.known || a.known->station != a.s || a.known->place != Place::kBuffer) {
    a.mark("item '" + a.e.item + "' was consumed at station '" + a.e.station + "' without waiting there");
    if (a.known) {
      take_out(a.e.item, *a.known);
      items_.erase(a.e.item);
    }
    return;
  }
  take_out(a.e.item, *a.known);
  items_.erase(a.e.item);
}

// The item goes back along its route to the station that reworks it; it stays on its machine
// until it leaves, and its next arrival is at that station.
void Mirror::apply_rework(Applying& a) {
  if (!a.known || a.known->station != a.s || a.known->place != Place::kMachine) {
    a.mark("item '" + a.e.item + "' was sent to rework from station '" + a.e.station + "', which did not hold it");
    return;
  }
  Item& it = *a.known;
  const auto& sd = line_.stations[a.s];
  if (!(sd.rework > 0)) {
    a.mark("station '" + a.e.station + "' sent item '" + a.e.item + "' to rework, which the scenario does not give it");
    return;
  }
  const auto& route = *a.route;
  for (uint32_t j = std::min<uint32_t>(it.step, uint32_t(route.size()) - 1) + 1; j-- > 0;)
    if (route[j] == sim::idx(sd.rework_to)) {
      it.step = j;
      it.reworked = true;
      return;
    }
  a.mark("item '" + a.e.item + "' was sent to rework at a station its route does not visit before");
}

void Mirror::apply_fail(Applying& a) {
  Machine* m = a.m;
  if (m->down) {
    a.mark("machine " + std::to_string(a.e.machine) + " of station '" + a.e.station + "' failed while down");
    return;
  }
  if (m->mode == Mode::kBusy) m->busy_acc += a.t - m->busy_from;
  if (m->ttf_valid) {
    const double x = m->busy_acc / unit_;
    a.st->ttf.add(x);
    if (keep_samples_) a.st->ttf_samples.push_back(x);
  }
  m->busy_acc = 0;
  m->down = true;
  m->down_since = a.t;
}

void Mirror::apply_repair(Applying& a) {
  Machine* m = a.m;
  const double t = a.t;
  if (!m->down) {
    a.mark("machine " + std::to_string(a.e.machine) + " of station '" + a.e.station + "' repaired while up");
    return;
  }
  const double x = (t - m->down_since) / unit_;
  a.st->ttr.add(x);
  if (keep_samples_) a.st->ttr_samples.push_back(x);
  m->down = false;
  if (m->mode == Mode::kBusy) {
    m->down_on_item += t - m->down_since;
    m->busy_from = t;
  }
  m->busy_acc = 0;
  m->ttf_valid = true;
}

Fit Mirror::apply(const PlantEvent& e, std::string* why) {
  Applying a{e};
  if (std::string unknown = locate(a); !unknown.empty()) {
    if (why) *why = std::move(unknown);
    return Fit::kUnknown;
  }
  if (e.t < clock_) a.mark(fmt::format("earlier than the last event ({} s < {} s)", e.t, clock_));
  a.t = std::max(clock_, e.t);
  clock_ = a.t;
  a.m = e.machine >= 0 ? &a.st->machines[size_t(e.machine)] : nullptr;
  switch (e.kind) {
    case PlantEventKind::kArrive: apply_arrive(a); break;
    case PlantEventKind::kStart: apply_start(a); break;
    case PlantEventKind::kFinish: apply_finish(a); break;
    case PlantEventKind::kLeave: apply_leave(a); break;
    case PlantEventKind::kFail: apply_fail(a); break;
    case PlantEventKind::kRepair: apply_repair(a); break;
    case PlantEventKind::kLost:
      ++lost_;
      record_arrival(a.t);
      if (!e.product.empty()) count_release(a.product);  // a lost item took its place in the lot
      break;
    case PlantEventKind::kScrap: apply_scrap(a); break;
    case PlantEventKind::kRework: apply_rework(a); break;
    case PlantEventKind::kSetup: apply_setup(a); break;
    case PlantEventKind::kMaintain: apply_maintain(a, true); break;
    case PlantEventKind::kMaintained: apply_maintain(a, false); break;
    case PlantEventKind::kConsume: apply_consume(a); break;
    case PlantEventKind::kOff:
    case PlantEventKind::kOn:
      // Off its calendar a machine starts nothing; the mirror shows it, and the look-ahead, started
      // at the mirror's clock, keeps the scenario's calendars where the plant's stand.
      if (a.m->off == (e.kind == PlantEventKind::kOff))
        a.mark("machine " + std::to_string(e.machine) + " of station '" + e.station + "' was already " + event_name(e.kind));
      a.m->off = e.kind == PlantEventKind::kOff;
      if (a.m->off) a.m->setup_timed = false;  // a setup paused off shift: its length is not its own
      break;
  }
  if (a.odd) {
    if (why) *why = a.odd_why;
    return Fit::kOutOfOrder;
  }
  return Fit::kApplied;
}

sim::LineState Mirror::line_state() const {
  sim::LineState out;
  out.t = clock_ / unit_;
  out.finished = finished_;
  out.lost = lost_;
  // A lot goes on where the run of one product seen last stands: a run of k items has k mod lot
  // of its last lot released (a run that fills whole lots is taken to end one; the next draw may
  // still be the same product, as the source's own draws may be).
  for (size_t i = 0; i < line_.sources.size(); ++i) {
    const auto& src = line_.sources[i];
    if (src.lot <= 1 || src.mix.size() <= 1 || runs_[i].length == 0) continue;
    bool told = true;  // every product of the mix is this source's alone
    for (const auto& m : src.mix) told = told && lot_source_[sim::idx(m.product)] == static_cast<int>(i);
    if (!told) continue;
    out.lots.resize(line_.sources.size());
    const uint64_t in_lot = runs_[i].length % src.lot;
    out.lots[i] = {runs_[i].product, in_lot == 0 ? 0u : static_cast<uint32_t>(src.lot - in_lot)};
  }
  out.stations.resize(stations_.size());
  auto placed = [&](const std::string& id, const Item& it, uint32_t step) {
    return sim::PlacedItem{numeric_id(id), it.product, step, std::max(0.0, clock_ - it.released) / unit_};
  };
  for (size_t s = 0; s < stations_.size(); ++s) {
    const Station& st = stations_[s];
    sim::PlacedStation& ps = out.stations[s];
    for (const auto& id : st.buffer) {
      const Item& it = items_.at(id);
      ps.queue.push_back(placed(id, it, it.step));
    }
    ps.machines.resize(st.machines.size());
    for (size_t i = 0; i < st.machines.size(); ++i) {
      const Machine& m = st.machines[i];
      sim::PlacedMachine& pm = ps.machines[i];
      pm.off = m.off;  // what the plant's last off/on said: the scene dims it
      if (m.last_product >= 0) pm.last_product = uint32_t(m.last_product);
      if (m.maintaining && line_.stations[s].has_maintenance()) {
        pm.status = sim::MachineStatus::kMaintenance;
        pm.elapsed = std::max(0.0, clock_ - m.maintain_from) / unit_;
        if (m.mode == Mode::kHeld) {
          const Item& it = items_.at(m.item);
          pm.holding = true;
          pm.item = placed(m.item, it, it.step);
        }
        continue;
      }
      pm.busy_since_repair = std::max(0.0, m.busy_acc) / unit_;  // towards its maintenance, if any
      if (m.mode == Mode::kIdle) continue;  // a down machine without an item is placed idle
      const Item& it = items_.at(m.item);
      pm.item = placed(m.item, it, it.step);
      const double busy_now = m.mode == Mode::kBusy && !m.down ? clock_ - m.busy_from : 0.0;
      pm.busy_since_repair = std::max(0.0, m.busy_acc + busy_now) / unit_;
      if (m.mode == Mode::kHeld) {
        pm.status = sim::MachineStatus::kBlocked;
      } else if (m.mode == Mode::kSetup) {
        // From the product of its last operation (unknown: none seen, so no setup left to draw).
        pm.status = sim::MachineStatus::kSetup;
        pm.elapsed = std::max(0.0, clock_ - m.setup_from) / unit_;
        if (m.last_product < 0) pm.last_product = it.product;
      } else if (m.down) {
        pm.status = sim::MachineStatus::kDown;
        pm.elapsed = std::max(0.0, m.down_since - m.start - m.down_on_item) / unit_;
        pm.down_for = std::max(0.0, clock_ - m.down_since) / unit_;
      } else {
        pm.status = sim::MachineStatus::kBusy;
        pm.elapsed = std::max(0.0, clock_ - m.start - m.down_on_item) / unit_;
      }
    }
  }
  for (const auto& id : transit_) {
    const Item& it = items_.at(id);
    const auto& route = routes_[it.product];
    const uint32_t next = it.step + 1;
    if (next >= route.size()) continue;
    uint32_t transport = UINT32_MAX;
    for (uint32_t k = 0; k < line_.transports.size(); ++k)
      if (sim::idx(line_.transports[k].from) == route[it.step] && sim::idx(line_.transports[k].to) == route[next])
        transport = k;
    if (transport == UINT32_MAX)  // no transport: it is about to arrive at the next station
      out.stations[route[next]].queue.push_back(placed(id, it, next));
    else
      out.transit.push_back(sim::PlacedTransit{transport, placed(id, it, next), sim::kDraw});
  }
  return out;
}

std::vector<Deviation> Mirror::deviations() const {
  std::vector<Deviation> out;
  auto consider = [&](uint32_t s, std::string what, const Moments& obs, const sim::Dist& model, uint64_t min_n) {
    if (obs.n == 0) return;
    Deviation d;
    d.station = s;
    d.what = std::move(what);
    d.observed = obs;
    d.model_mean = model.mean();
    d.model_sd = std::sqrt(std::max(0.0, model.variance()));
    // The model's own spread says how far a mean of n observations may stray by chance.
    const double diff = std::fabs(obs.mean - d.model_mean);
    const double se = d.model_sd / std::sqrt(double(obs.n));
    d.flagged = obs.n >= min_n && diff > 4 * se && diff > 0.05 * std::fabs(d.model_mean);
    out.push_back(std::move(d));
  };
  for (uint32_t s = 0; s < stations_.size(); ++s) {
    const sim::StationDef& sd = line_.stations[s];
    const Station& st = stations_[s];
    bool same = true;
    for (const auto& p : sd.process) same = same && p == sd.process[0];
    if (same) {
      Moments all;  // pooled over products
      for (const auto& m : st.process)
        if (m.n) {
          const double n = double(all.n + m.n), delta = m.mean - all.mean;
          all.m2 += m.m2 + delta * delta * double(all.n) * double(m.n) / n;
          all.mean += delta * double(m.n) / n;
          all.n += m.n;
        }
      consider(s, "process", all, sd.process[0], 20);
    } else {
      for (uint32_t p = 0; p < st.process.size(); ++p)
        consider(s, "process " + line_.products[p].name, st.process[p], sd.process[p], 20);
    }
    if (sd.has_failures) {
      consider(s, "failure", st.ttf, sd.failures.ttf, 10);
      consider(s, "repair", st.ttr, sd.failures.ttr, 10);
    }
  }
  return out;
}

std::string Deviation::message(const sim::LineDef& line) const {
  const std::string& name = line.stations[station].name;
  const double ratio = model_mean > 0 ? observed.mean / model_mean : 0;
  const std::string unit = unit_name(line.time_unit);
  if (what == "failure")
    return fmt::format("{} fails after {:.3g} {} of work on average, its scenario says {:.3g} ({}, n={})", name,
                       observed.mean, unit, model_mean, ratio < 1 ? "more often" : "less often", observed.n);
  if (what == "repair")
    return fmt::format("{} takes {:.3g} {} to repair on average, its scenario says {:.3g} (n={})", name, observed.mean,
                       unit, model_mean, observed.n);
  return fmt::format("{} {} takes {:.3g} {} on average, its scenario says {:.3g}: {:.0f}% {} (n={})", name, what,
                     observed.mean, unit, model_mean, std::fabs(ratio - 1) * 100, ratio > 1 ? "slower" : "faster",
                     observed.n);
}

}  // namespace linetwin::live
