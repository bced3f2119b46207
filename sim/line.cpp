// LineSim, the kernel's public face: each call hands over to the kernel (sim/detail/line_kernel.hpp),
// which runs whole slices of the simulation at a time, so the indirection costs nothing per event.
// And check_line, what the kernel relies on in a definition.
#include "sim/line.hpp"

#include <cmath>

#include "sim/calendar.hpp"
#include "sim/detail/line_kernel.hpp"

namespace linetwin::sim {

namespace {

// Scrap and rework are fractions that leave something to go on, and rework goes back along the
// route of every product that visits the station.
std::string check_quality(const LineDef& line, const StationDef& s) {
  if (!(s.scrap >= 0 && s.scrap <= 1)) return "station '" + s.name + "' has a scrap fraction outside [0, 1]";
  if (!(s.rework >= 0 && s.rework < 1))
    return "station '" + s.name + "' has a rework fraction outside [0, 1): at 1 an item would be reworked for ever";
  if (s.scrap + s.rework > 1) return "station '" + s.name + "' scraps and reworks more than all of its items";
  if (!(s.rework > 0)) return {};
  if (idx(s.rework_to) >= line.stations.size()) return "station '" + s.name + "' reworks at a station that does not exist";
  const StationId self{static_cast<uint32_t>(&s - line.stations.data())};
  for (const auto& p : line.products) {
    bool reached = false;
    for (StationId st : p.route) {
      reached = reached || st == s.rework_to;
      if (st == self && !reached)
        return "station '" + s.name + "' sends product '" + p.name + "' back to station '" +
               line.stations[idx(s.rework_to)].name + "', which its route does not visit before it";
    }
  }
  return {};
}

}  // namespace

long bom_cycle(const LineDef& line) {
  const auto np = line.products.size();
  std::vector<int> mark(np, 0);  // 0 new, 1 on the path, 2 done
  for (size_t start = 0; start < np; ++start) {
    if (mark[start]) continue;
    std::vector<std::pair<size_t, size_t>> stack{{start, 0}};  // product, next bom entry
    mark[start] = 1;
    while (!stack.empty()) {
      const size_t p = stack.back().first;
      const auto& bom = line.products[p].bom;
      if (stack.back().second == bom.size()) {
        mark[p] = 2;
        stack.pop_back();
        continue;
      }
      const size_t c = idx(bom[stack.back().second++].component);
      if (c >= np) continue;
      if (mark[c] == 1) return long(c);
      if (mark[c] == 0) {
        mark[c] = 1;
        stack.push_back({c, 0});
      }
    }
  }
  return -1;
}

namespace {

// Assembly (see ProductDef::bom): what the kernel relies on.
std::string check_assembly(const LineDef& line) {
  const auto np = line.products.size();
  for (size_t p = 0; p < np; ++p) {
    const ProductDef& prod = line.products[p];
    if (!prod.assembled()) continue;
    const StationId at = prod.route[0];
    const std::string where = "product '" + prod.name + "'";
    for (const BomEntry& b : prod.bom) {
      if (idx(b.component) >= np) return where + " is made of an unknown product";
      if (b.count == 0) return where + " needs 0 of a component";
      const ProductDef& c = line.products[idx(b.component)];
      if (c.route.size() < 2 || c.route.back() != at)
        return "component '" + c.name + "' of " + where + " must end its route at station '" +
               line.stations[idx(at)].name + "', after at least one station of its own";
    }
    for (const auto& s : line.sources)
      for (const auto& m : s.mix)
        if (idx(m.product) == p) return "source '" + s.name + "' releases " + where + ", which is assembled";
    // Who may visit the assembly station: its product, first, and its components, last.
    for (size_t q = 0; q < np; ++q) {
      const auto& route = line.products[q].route;
      bool component = false;
      for (const BomEntry& b : prod.bom) component = component || idx(b.component) == q;
      for (size_t k = 0; k < route.size(); ++k) {
        if (route[k] != at) continue;
        const bool allowed = (q == p && k == 0) || (component && k + 1 == route.size());
        if (!allowed)
          return "product '" + line.products[q].name + "' visits station '" + line.stations[idx(at)].name +
                 "', where " + where + " is assembled; only the product (first) and its components (last) may";
      }
    }
    const StationDef& st = line.stations[idx(at)];
    if (st.has_quality() || st.has_maintenance() || st.has_batch())
      return "station '" + st.name + "' assembles " + where + " and cannot also scrap, rework, be maintained or take batches yet";
    for (const StationDef& other : line.stations)
      if (other.rework > 0 && other.rework_to == at)
        return "station '" + other.name + "' reworks at station '" + st.name + "', which assembles";
  }
  // A bill of materials that needs itself, directly or through its components, never finishes.
  if (const long c = bom_cycle(line); c >= 0)
    return "product '" + line.products[size_t(c)].name + "' is made, through its bill of materials, of itself";
  return {};
}

}  // namespace

std::string check_line(const LineDef& line) {
  const auto np = line.products.size(), ns = line.stations.size();
  if (np == 0) return "the line has no products";
  if (ns == 0) return "the line has no stations";
  for (const auto& p : line.products) {
    if (p.route.empty()) return "product '" + p.name + "' has an empty route";
    for (StationId s : p.route)
      if (idx(s) >= ns) return "product '" + p.name + "' routes to a station that does not exist";
  }
  if (auto why = check_assembly(line); !why.empty()) return why;
  for (const auto& s : line.sources) {
    if (s.mix.empty()) return "source '" + s.name + "' releases no product";
    if (s.lot == 0) return "source '" + s.name + "' has a lot of 0 items";
    for (const auto& m : s.mix) {
      if (idx(m.product) >= np) return "source '" + s.name + "' releases an unknown product";
      if (!(m.weight > 0)) return "source '" + s.name + "' has a mix weight that is not positive";
    }
    if (!s.saturated && !(s.interarrival.mean() > 0))
      return "source '" + s.name + "' has a mean interarrival time of 0: it would release items "
             "endlessly at one instant";
    if (s.saturated) {
      const StationId first = line.products[idx(s.mix[0].product)].route[0];
      for (const auto& m : s.mix)
        if (line.products[idx(m.product)].route[0] != first)
          return "saturated source '" + s.name + "' feeds products that start at different stations";
    }
  }
  for (const auto& s : line.sources) {
    if (!s.saturated) continue;
    // A saturated source releases an item each time its first station frees a machine; if no
    // station of the route takes any time, that happens endlessly at one instant.
    for (const auto& m : s.mix) {
      const auto& p = line.products[idx(m.product)];
      double total = 0;
      for (StationId st : p.route)
        if (idx(st) < ns && idx(m.product) < line.stations[idx(st)].process.size())
          total += line.stations[idx(st)].process[idx(m.product)].mean();
      if (!(total > 0))
        return "saturated source '" + s.name + "' feeds product '" + p.name +
               "', whose route takes no processing time: it would finish items endlessly at one instant";
    }
  }
  for (const auto& s : line.stations) {
    if (s.machines == 0) return "station '" + s.name + "' has no machines";
    if (s.process.size() != np) return "station '" + s.name + "' lacks a process time per product";
    if (s.has_failures && !(s.failures.ttf.mean() > 0))
      return "station '" + s.name + "' has a mean time to failure of 0: it would fail endlessly";
    if (auto why = check_quality(line, s); !why.empty()) return why;
    if (s.has_setups() && s.setups.size() != np * np)
      return "station '" + s.name + "' lacks a setup time per pair of products";
    if (s.has_power() && s.power.size() != size_t(kMachineStates))
      return "station '" + s.name + "' lacks a power per machine state";
    for (const WorkerNeed& n : s.needs) {
      if (n.pool >= line.workers.size()) return "station '" + s.name + "' needs workers of a pool that does not exist";
      if (n.count == 0 || n.count > line.workers[n.pool].count)
        return "station '" + s.name + "' needs " + std::to_string(n.count) + " of pool '" + line.workers[n.pool].name +
               "', which has " + std::to_string(line.workers[n.pool].count) + ": it could never start";
    }
    if (s.has_failures && s.failures.repair_by != kNoPool && s.failures.repair_by >= line.workers.size())
      return "station '" + s.name + "' is repaired by a pool that does not exist";
    if (s.has_maintenance()) {
      if (!(s.maintenance.every > 0))
        return "station '" + s.name + "' is maintained every " + std::to_string(s.maintenance.every) +
               " of busy time: it would be maintained endlessly";
      if (s.maintenance.by != kNoPool && s.maintenance.by >= line.workers.size())
        return "station '" + s.name + "' is maintained by a pool that does not exist";
    }
    if (s.has_batch()) {
      if (s.has_setups() || s.rework > 0 || s.has_maintenance() || s.discipline != Discipline::kFifo)
        return "station '" + s.name + "' takes batches and has setups, rework, maintenance or an order: not supported";
      if (s.buffer == 0 || (s.buffer < s.batch.size && !(s.batch.max_wait < kInf)))
        return "station '" + s.name + "' waits for full batches its buffer cannot hold";
      if (!(s.batch.max_wait >= 0)) return "station '" + s.name + "' has a negative max_wait";
    }
    for (double kw : s.power)
      if (!(kw >= 0) || !std::isfinite(kw)) return "station '" + s.name + "' has a power that is negative or not finite";
  }
  for (const auto& w : line.workers) {
    if (w.count == 0) return "worker pool '" + w.name + "' has no workers";
    if (w.calendar != kNoCalendar && w.calendar >= line.calendars.size())
      return "worker pool '" + w.name + "' works by a calendar that does not exist";
  }
  for (const auto& c : line.calendars)
    if (auto why = check_calendar(c); !why.empty()) return why;
  if (line.calendar != kNoCalendar && line.calendar >= line.calendars.size()) return "the line works by a calendar that does not exist";
  for (const auto& s : line.sources)
    if (s.calendar != kNoCalendar && s.calendar >= line.calendars.size())
      return "source '" + s.name + "' releases by a calendar that does not exist";
  for (const auto& s : line.stations)
    if (s.calendar != kNoCalendar && s.calendar >= line.calendars.size())
      return "station '" + s.name + "' works by a calendar that does not exist";
  for (const auto& t : line.transports) {
    if (idx(t.from) >= ns || idx(t.to) >= ns) return "a transport links an unknown station";
    if (t.capacity == 0) return "a transport has no capacity";
  }
  return {};
}

LineSim::LineSim(const LineDef& line, const RunDef& run, uint32_t replication)
    : kernel_(std::make_unique<detail::LineKernel>(line, run, replication)) {}
LineSim::LineSim(const LineSim& saved) : kernel_(std::make_unique<detail::LineKernel>(*saved.kernel_)) {}
LineSim::LineSim(LineSim&& other) noexcept = default;
LineSim::~LineSim() = default;

void LineSim::add_observer(Observer* observer) { kernel_->add_observer(observer); }
void LineSim::start_from(const LineState& state) { kernel_->start_from(state); }
void LineSim::follow_plan(const PlanDef& plan) { kernel_->follow_plan(plan); }
uint64_t LineSim::plan_finished() const { return kernel_->plan_finished(); }
LineState LineSim::state() const { return kernel_->state(); }
RepResult LineSim::run() { return kernel_->run(); }
bool LineSim::run_until(double t) { return kernel_->run_until(t); }
double LineSim::now() const { return kernel_->now(); }
uint64_t LineSim::events() const { return kernel_->events(); }
RepResult LineSim::result() const { return kernel_->result(); }

}  // namespace linetwin::sim
