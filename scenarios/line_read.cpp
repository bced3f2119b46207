// The line sections of a scenario: stations (read in two passes, names first, because routes name
// stations and per-product process times name products), products, sources and transports.
#include "scenarios/line_read.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "sim/calendar.hpp"
#include "sim/line.hpp"  // bom_cycle
#include "sim/rep_result.hpp"

namespace linetwin::scenarios::detail {
namespace {

// Far above any real line; they bound memory (process times are stations x products).
constexpr std::size_t kMaxStations = 1000;
constexpr std::size_t kMaxProducts = 1000;
constexpr std::size_t kMaxSources = 1000;
constexpr std::size_t kMaxTransports = 100'000;
constexpr std::size_t kMaxRoute = 10'000;
constexpr uint32_t kMaxMachines = 10'000;
constexpr uint32_t kMaxBuffer = 10'000'000;
constexpr uint32_t kMaxCapacity = 10'000'000;
constexpr std::size_t kMaxPools = 1000;
constexpr int kMaxPriority = 1000000;
constexpr uint64_t kMaxBomCount = 1000;
constexpr uint32_t kMaxWorkers = 100'000;
constexpr std::size_t kMaxCalendars = 1000;
constexpr std::size_t kMaxIntervals = 10'000;
constexpr uint64_t kMaxBatch = 10'000;
constexpr uint64_t kMaxLot = 1'000'000'000;

// Names of one kind of thing, in file order, with the position of each for "given twice" messages.
class Names {
 public:
  // Adds a name read at `at`; refuses one given twice.
  void add(const Reader& r, const Node& at, const std::string& path, const std::string& name,
           const std::string& kind) {
    auto [it, fresh] = index_.emplace(name, static_cast<uint32_t>(list_.size()));
    if (!fresh) {
      int first_line = lines_[it->second];
      r.fail(at, path, "duplicate " + kind + " name '" + name + "'" +
                           (first_line > 0 ? " (first given at line " + std::to_string(first_line) + ")" : "") +
                           "; each " + kind + " needs a name of its own");
    }
    list_.push_back(name);
    lines_.push_back(at.line);
  }
  /// The index of a name, or -1.
  long find(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? -1 : static_cast<long>(it->second);
  }
  std::string all() const { return join(list_); }
  const std::vector<std::string>& list() const { return list_; }

 private:
  std::unordered_map<std::string, uint32_t> index_;
  std::vector<std::string> list_;
  std::vector<int> lines_;
};

// Whether a distribution's mean is above 0, without sim's Dist::mean(): a time to failure or
// between arrivals of mean 0 would make the simulator loop forever at one instant.
bool positive_mean(const sim::Dist& d) {
  switch (d.kind) {
    case sim::DistKind::kConstant: return d.value > 0;
    case sim::DistKind::kUniform: return d.uniform.max > 0;
    case sim::DistKind::kTriangular: return d.triangular.max > 0;
    case sim::DistKind::kEmpirical:
      for (double v : d.values)
        if (v > 0) return true;
      return false;
    default: return true;  // exponential, normal, lognormal, erlang, weibull: checked > 0
  }
}

class LineReader {
 public:
  LineReader(const Reader& r, const Node& root, sim::LineDef& line) : r_(r), root_(root), line_(line) {}

  void read() {
    const Node& stations = list(
        "stations", "a list of stations, each {name, process, machines, buffer, failures}", kMaxStations);
    for (std::size_t i = 0; i < stations.items.size(); ++i) station_name(stations.items[i], i);
    read_calendars();
    read_workers();
    read_products();
    for (std::size_t i = 0; i < stations.items.size(); ++i) read_station(stations.items[i], i);
    read_sources();
    read_transports();
    check_assembly();
  }

 private:
  // A required, non-empty top-level list of mappings.
  const Node& list(const std::string& key, const std::string& hint, std::size_t max) {
    const Node& n = r_.need(root_, key, "", hint);
    r_.expect_seq(n, key, hint);
    if (n.items.empty()) r_.fail(n, key, "expected at least one item: " + hint + ", got an empty list");
    if (n.items.size() > max)
      r_.fail(n, key, "expected at most " + std::to_string(max) + " " + key + ", got " +
                          std::to_string(n.items.size()));
    return n;
  }

  // An optional top-level list of at most `max` items; nullptr when absent.
  const Node* optional_list(const std::string& key, const std::string& hint, std::size_t max) {
    const Node* n = r_.get(root_, key);
    if (!n) return nullptr;
    r_.expect_seq(*n, key, hint);
    if (n->items.size() > max)
      r_.fail(*n, key, "expected at most " + std::to_string(max) + " " + key + ", got " + std::to_string(n->items.size()));
    return n;
  }

  std::string station_name(const Node& item, std::size_t i) {
    std::string path = item_path("stations", item, i);
    r_.expect_map(item, path, "a station {name, process, machines, buffer, failures}");
    const Node& name = r_.need(item, "name", path, "the station's name, e.g. name: m1");
    std::string s = r_.name(name, path + ".name");
    stations_.add(r_, name, path + ".name", s, "station");
    return s;
  }

  sim::StationId station_ref(const Node& n, const std::string& path, const std::string& context) {
    if (!n.is_scalar()) r_.fail(n, path, "expected a station name, got " + describe(n));
    long id = stations_.find(n.text);
    if (id < 0)
      r_.fail(n, path, "unknown station '" + n.text + "' " + context + "; stations are: " + stations_.all());
    return static_cast<sim::StationId>(id);
  }

  sim::ProductId product_ref(const Node& at, const std::string& name, const std::string& path,
                             const std::string& context) {
    long id = products_.find(name);
    if (id < 0)
      r_.fail(at, path, "unknown product '" + name + "' " + context + "; products are: " + products_.all());
    return static_cast<sim::ProductId>(id);
  }

  void read_products() {
    const Node& products = list("products", "a list of products, each {name, route: [stations]}", kMaxProducts);
    for (std::size_t i = 0; i < products.items.size(); ++i) {
      const Node& item = products.items[i];
      std::string path = item_path("products", item, i);
      r_.expect_map(item, path, "a product {name, route: [stations]}");
      r_.check_keys(item, path, {"name", "route", "priority", "bom"}, "product at " + path);
      const Node& name_node = r_.need(item, "name", path, "the product's name, e.g. name: A");
      sim::ProductDef p;
      p.name = r_.name(name_node, path + ".name");
      products_.add(r_, name_node, path + ".name", p.name, "product");
      const Node& route = r_.need(item, "route", path, "the stations it visits, in order, e.g. route: [m1, m2]");
      std::string rpath = path + ".route";
      r_.expect_seq(route, rpath, "a list of station names, e.g. [m1, m2]");
      if (route.items.empty() || route.items.size() > kMaxRoute)
        r_.fail(route, rpath, "expected 1 to " + std::to_string(kMaxRoute) +
                                  " station names in the route, got " + std::to_string(route.items.size()));
      for (const Node& s : route.items)
        p.route.push_back(station_ref(s, rpath, "in route of product '" + p.name + "'"));
      if (const Node* pr = r_.get(item, "priority")) {
        const double v = r_.number(*pr, path + ".priority");
        if (v != std::floor(v) || std::fabs(v) > kMaxPriority)
          r_.fail(*pr, path + ".priority",
                  "expected a whole number from -" + std::to_string(kMaxPriority) + " to " + std::to_string(kMaxPriority) +
                      " (higher goes first at a station whose discipline is priority), got " + describe(*pr));
        p.priority = static_cast<int32_t>(v);
      }
      bom_nodes_.push_back(r_.get(item, "bom"));
      line_.products.push_back(std::move(p));
    }
    // Bills of materials name products, so they are read once every product is known.
    for (std::size_t i = 0; i < products.items.size(); ++i)
      if (const Node* bom = bom_nodes_[i]) read_bom(*bom, item_path("products", products.items[i], i) + ".bom", i);
  }

  // `bom: {COMPONENT: COUNT}`.
  void read_bom(const Node& bom, const std::string& path, std::size_t p) {
    sim::ProductDef& prod = line_.products[p];
    r_.expect_map(bom, path, "components and how many of each make one item, e.g. {frame: 1, wheel: 2}");
    if (bom.keys.empty()) r_.fail(bom, path, "expected at least one component, e.g. {frame: 1, wheel: 2}");
    for (std::size_t i = 0; i < bom.keys.size(); ++i) {
      const std::string kpath = path + "." + bom.keys[i].text;
      const sim::ProductId c = product_ref(bom, bom.keys[i].text, kpath, "in the bill of materials of product '" + prod.name + "'");
      if (sim::idx(c) == p)
        r_.fail_key(bom, i, kpath, "expected a product other than '" + prod.name + "': a product cannot be made of itself");
      const auto count = static_cast<uint32_t>(r_.integer(bom.items[i], kpath, 1, kMaxBomCount));
      prod.bom.push_back({c, count});
    }
  }

  // What an assembly needs of the rest of the line (sim::check_line's rules, with their nodes).
  void check_assembly() {
    const Node& products = *root_.find("products");
    const auto np = line_.products.size();
    for (std::size_t p = 0; p < np; ++p) {
      const sim::ProductDef& prod = line_.products[p];
      if (!prod.assembled()) continue;
      const Node& bom = *bom_nodes_[p];
      const std::string path = item_path("products", products.items[p], p) + ".bom";
      const sim::StationId at = prod.route[0];
      const std::string station = line_.stations[sim::idx(at)].name;
      for (std::size_t i = 0; i < prod.bom.size(); ++i) {
        const sim::ProductDef& c = line_.products[sim::idx(prod.bom[i].component)];
        if (c.route.size() < 2 || c.route.back() != at)
          r_.fail_key(bom, i, path + "." + c.name,
                      "expected component '" + c.name + "' to end its route at station '" + station + "', where '" +
                          prod.name + "' is made (the first station of its route), after at least one station of its own");
      }
      for (const auto& s : line_.sources)
        for (const auto& m : s.mix)
          if (sim::idx(m.product) == p)
            r_.fail(bom, path, "product '" + prod.name + "' is assembled from its bill of materials, so no source may release it; source '" +
                                   s.name + "' does");
      for (std::size_t q = 0; q < np; ++q) {
        const auto& route = line_.products[q].route;
        bool component = false;
        for (const auto& b : prod.bom) component = component || sim::idx(b.component) == q;
        for (std::size_t k = 0; k < route.size(); ++k)
          if (route[k] == at && !((q == p && k == 0) || (component && k + 1 == route.size())))
            r_.fail(bom, path, "station '" + station + "' assembles '" + prod.name + "'; product '" + line_.products[q].name +
                                   "' may visit it only as a component, at the end of its route");
      }
      const sim::StationDef& st = line_.stations[sim::idx(at)];
      if (st.has_quality() || st.has_maintenance() || st.has_batch())
        r_.fail(bom, path, "station '" + station + "' assembles '" + prod.name +
                               "' and cannot also scrap, rework, be maintained or take batches yet; give those to a station after it");
      for (const auto& other : line_.stations)
        if (other.rework > 0 && other.rework_to == at)
          r_.fail(bom, path, "station '" + other.name + "' reworks at station '" + station + "', which assembles '" + prod.name +
                                 "'; send the rework to a station after it");
    }
    // A bill of materials that needs itself, through its components, never finishes.
    if (const long c = sim::bom_cycle(line_); c >= 0)
      r_.fail(*bom_nodes_[size_t(c)], item_path("products", products.items[size_t(c)], size_t(c)) + ".bom",
              "product '" + line_.products[size_t(c)].name + "' is made, through bills of materials, of itself: it could never be made");
  }

  // Whether product p is processed at the station: visits it other than as a component arriving
  // at its assembly, the end of its route.
  bool processed_at(std::size_t p, uint32_t station) const {
    const auto& route = line_.products[p].route;
    for (std::size_t k = 0; k < route.size(); ++k) {
      if (sim::idx(route[k]) != station) continue;
      bool consumed = false;
      if (k + 1 == route.size())
        for (const auto& q : line_.products)
          for (const auto& b : q.bom) consumed = consumed || (sim::idx(b.component) == p && sim::idx(q.route[0]) == station);
      if (!consumed) return true;
    }
    return false;
  }

  void read_process(const Node& n, const std::string& path, uint32_t station, sim::StationDef& st) {
    const std::size_t np = line_.products.size();
    if (!looks_per_product(n)) {
      st.process.assign(np, read_dist(r_, n, path));
      return;
    }
    bool any_product = false;
    for (const Key& k : n.keys) any_product = any_product || products_.find(k.text) >= 0;
    if (!any_product)
      r_.fail(n, path + ".dist",
              "missing key 'dist': expected a distribution such as {dist: exponential, mean: 2} or "
              "per-product times {" + products_.list().front() + ": ..., ...}; products are: " +
                  products_.all());
    st.process.assign(np, sim::Dist{});  // a constant 0 for products that never come here
    std::vector<bool> given(np, false);
    for (std::size_t i = 0; i < n.keys.size(); ++i) {
      std::string kpath = path + "." + n.keys[i].text;
      long p = products_.find(n.keys[i].text);
      if (p < 0)
        r_.fail_key(n, i, kpath,
                    "unknown product '" + n.keys[i].text + "' in the per-product process times of station '" +
                        st.name + "'; products are: " + products_.all() +
                        " (or give one distribution with a 'dist' key)");
      st.process[p] = read_dist(r_, n.items[i], kpath);
      given[p] = true;
    }
    for (std::size_t p = 0; p < np; ++p)
      if (!given[p] && processed_at(p, station))
        r_.fail(n, path + "." + line_.products[p].name,
                "missing process time for product '" + line_.products[p].name + "', whose route visits station '" +
                    st.name + "'");
  }

  void read_station(const Node& item, std::size_t i) {
    std::string path = item_path("stations", item, i);
    sim::StationDef st;
    st.name = item.find("name")->text;  // checked by station_name
    r_.check_keys(item, path,
                  {"name", "machines", "buffer", "process", "failures", "scrap", "rework", "setup", "setup_matrix",
                   "power", "needs", "maintenance", "discipline", "calendar", "batch"},
                  "station '" + st.name + "'");
    if (const Node* m = r_.get(item, "machines"))
      st.machines = static_cast<uint32_t>(r_.integer(*m, path + ".machines", 1, kMaxMachines));
    if (const Node* b = r_.get(item, "buffer")) st.buffer = r_.count_or_inf(*b, path + ".buffer", 0, kMaxBuffer);
    if (const Node* c = r_.get(item, "calendar")) st.calendar = calendar_ref(*c, path + ".calendar", "station '" + st.name + "'");
    read_process(r_.need(item, "process", path, "the process time, e.g. process: {dist: exponential, mean: 1}"),
                 path + ".process", static_cast<uint32_t>(i), st);
    if (const Node* f = r_.get(item, "failures")) {
      std::string fpath = path + ".failures";
      r_.expect_map(*f, fpath, "{ttf: DIST, ttr: DIST} (time to failure, time to repair)");
      r_.check_keys(*f, fpath, {"ttf", "ttr", "repair_by"}, "failures of station '" + st.name + "'");
      st.has_failures = true;
      st.failures.ttf = read_dist(r_, r_.need(*f, "ttf", fpath, "the time to failure, e.g. ttf: {dist: exponential, mean: 200}"),
                                  fpath + ".ttf");
      st.failures.ttr = read_dist(r_, r_.need(*f, "ttr", fpath, "the time to repair, e.g. ttr: {dist: exponential, mean: 10}"),
                                  fpath + ".ttr");
      if (const Node* by = r_.get(*f, "repair_by")) st.failures.repair_by = pool_ref(*by, fpath + ".repair_by", st.name);
      if (!positive_mean(st.failures.ttf))
        r_.fail(*f->find("ttf"), fpath + ".ttf", "expected a time to failure with a mean > 0, got always 0");
    }
    read_quality(item, path, static_cast<uint32_t>(i), st);
    read_setups(item, path, st);
    read_power(item, path, st);
    read_needs(item, path, st);
    read_maintenance(item, path, st);
    if (const Node* d = r_.get(item, "discipline")) {
      const std::string v = r_.string(*d, path + ".discipline");
      if (v == "fifo") st.discipline = sim::Discipline::kFifo;
      else if (v == "priority") st.discipline = sim::Discipline::kPriority;
      else if (v == "spt") st.discipline = sim::Discipline::kSpt;
      else
        r_.fail(*d, path + ".discipline",
                "expected fifo, priority (the highest product priority first) or spt (the shortest mean process "
                "time first), got " + describe(*d));
    }
    read_batch(item, path, st);
    line_.stations.push_back(std::move(st));
  }

  // `batch: {size: N, max_wait: TIME}`: up to N items in one operation.
  void read_batch(const Node& item, const std::string& path, sim::StationDef& st) {
    const Node* b = r_.get(item, "batch");
    if (!b) return;
    const std::string bpath = path + ".batch";
    r_.expect_map(*b, bpath, "{size: N, max_wait: TIME}, e.g. {size: 4, max_wait: 10min}");
    r_.check_keys(*b, bpath, {"size", "max_wait"}, "batch of station '" + st.name + "'");
    const Node& size = r_.need(*b, "size", bpath, "the most items in one operation, e.g. size: 4");
    st.batch.size = static_cast<uint32_t>(r_.integer(size, bpath + ".size", 1, kMaxBatch));
    if (const Node* w = r_.get(*b, "max_wait")) {
      st.batch.max_wait = r_.time(*w, bpath + ".max_wait");
      if (!(st.batch.max_wait >= 0))
        r_.fail(*w, bpath + ".max_wait", "expected a time >= 0 after the first item's arrival, got " + describe(*w));
    }
    if (!st.has_batch()) return;
    auto refuse = [&](const char* what) {
      r_.fail(*b, bpath, "station '" + st.name + "' takes batches and cannot also have " + std::string(what) +
                             " yet; give those to another station");
    };
    if (st.has_setups()) refuse("setups");
    if (st.rework > 0) refuse("rework");
    if (st.has_maintenance()) refuse("maintenance");
    if (st.discipline != sim::Discipline::kFifo) refuse("a discipline other than fifo");
    if (st.buffer == 0 || (st.buffer < st.batch.size && !(st.batch.max_wait < sim::kInf)))
      r_.fail(*b, bpath, "station '" + st.name + "' waits for full batches of " + std::to_string(st.batch.size) +
                             " but its buffer holds " + std::to_string(st.buffer) + ": expected a buffer of at least " +
                             std::to_string(st.batch.size) + (st.buffer == 0 ? "" : ", or a max_wait"));
  }

  // `maintenance: {every: TIME, duration: DIST, by: POOL}`: preventive, by busy time since the
  // last repair or maintenance.
  void read_maintenance(const Node& item, const std::string& path, sim::StationDef& st) {
    const Node* m = r_.get(item, "maintenance");
    if (!m) return;
    const std::string mpath = path + ".maintenance";
    r_.expect_map(*m, mpath, "{every: TIME, duration: DIST, by: POOL}, e.g. {every: 50h, duration: 1h}");
    r_.check_keys(*m, mpath, {"every", "duration", "by"}, "maintenance of station '" + st.name + "'");
    const Node& every = r_.need(*m, "every", mpath, "the busy time between maintenances, e.g. every: 50h");
    st.maintenance.every = r_.time(every, mpath + ".every");
    if (!(st.maintenance.every > 0))
      r_.fail(every, mpath + ".every", "expected a busy time between maintenances > 0, got " + describe(every));
    st.maintenance.duration =
        read_dist(r_, r_.need(*m, "duration", mpath, "how long a maintenance takes, e.g. duration: 1h"), mpath + ".duration");
    if (const Node* by = r_.get(*m, "by")) st.maintenance.by = pool_ref(*by, mpath + ".by", st.name);
  }

  // `calendars: [{name, period, work, breaks}]` and the line's `calendar: NAME`.
  void read_calendars() {
    const Node* list = optional_list(
        "calendars", "a list of calendars, each {name, period, work: [[FROM, TO], ...], breaks: [[FROM, TO], ...]}", kMaxCalendars);
    if (list)
      for (std::size_t i = 0; i < list->items.size(); ++i) read_calendar(list->items[i], item_path("calendars", list->items[i], i));
    if (const Node* c = r_.get(root_, "calendar")) line_.calendar = calendar_ref(*c, "calendar", "the line");
  }

  void read_calendar(const Node& item, const std::string& path) {
    r_.expect_map(item, path, "a calendar {name, period, work, breaks}, e.g. {name: day, period: 24h, work: [[6h, 22h]]}");
    r_.check_keys(item, path, {"name", "period", "work", "breaks"}, "calendar at " + path);
    const Node& name = r_.need(item, "name", path, "the calendar's name, e.g. name: two_shifts");
    sim::CalendarDef c;
    c.name = r_.name(name, path + ".name");
    calendars_.add(r_, name, path + ".name", c.name, "calendar");
    const Node& period = r_.need(item, "period", path, "the time after which the pattern repeats, e.g. period: 24h");
    c.period = r_.time(period, path + ".period");
    if (!(c.period > 0) || !std::isfinite(c.period))
      r_.fail(period, path + ".period", "expected a period above 0, e.g. 24h or 7d, got " + describe(period));
    c.work = intervals(r_.need(item, "work", path, "the working intervals within the period, e.g. work: [[6h, 14h], [14h, 22h]]"),
                       path + ".work", c.period, "working interval");
    if (c.work.empty()) r_.fail(*item.find("work"), path + ".work", "expected at least one working interval, e.g. [[6h, 14h]]");
    if (const Node* b = r_.get(item, "breaks")) {
      c.breaks = intervals(*b, path + ".breaks", c.period, "break");
      for (std::size_t k = 0; k < c.breaks.size(); ++k) {
        bool inside = false;
        for (const sim::Interval& w : sim::Calendar(sim::CalendarDef{c.name, c.period, c.work, {}}).intervals())
          inside = inside || (w.from <= c.breaks[k].from && c.breaks[k].to <= w.to);
        if (!inside)
          r_.fail(b->items[k], path + ".breaks",
                  "expected each break inside one working interval (breaks are off time within a shift), got " +
                      interval_text(b->items[k]));
      }
    }
    if (!sim::check_calendar(c).empty())  // what is left is a calendar without working time
      r_.fail(item, path + ".breaks", "expected some working time left in calendar '" + c.name + "', but its breaks fill its shifts");
    line_.calendars.push_back(std::move(c));
  }

  // `[[FROM, TO], ...]`, times within [0, period].
  std::vector<sim::Interval> intervals(const Node& n, const std::string& path, double period, const std::string& what) {
    const std::string hint = "a list of [FROM, TO] times within the period, e.g. [[6h, 14h], [14h, 22h]]";
    r_.expect_seq(n, path, hint);
    if (n.items.size() > kMaxIntervals)
      r_.fail(n, path, "expected at most " + std::to_string(kMaxIntervals) + " intervals, got " + std::to_string(n.items.size()));
    std::vector<sim::Interval> out;
    for (const Node& i : n.items) {
      if (!i.is_seq() || i.items.size() != 2) r_.fail(i, path, "expected a " + what + " [FROM, TO], e.g. [6h, 14h], got " + describe(i));
      const double from = r_.time(i.items[0], path), to = r_.time(i.items[1], path);
      if (!(from >= 0 && from < to && to <= period))
        r_.fail(i, path, "expected a " + what + " [FROM, TO] with 0 <= FROM < TO <= the period (" + fmt::format("{:g}", period) +
                             " " + unit_name(r_.time_unit) + "); split one that runs past the period's end in two, got " +
                             interval_text(i));
      out.push_back({from, to});
    }
    return out;
  }

  static std::string interval_text(const Node& i) { return "[" + i.items[0].text + ", " + i.items[1].text + "]"; }

  uint32_t calendar_ref(const Node& n, const std::string& path, const std::string& who) {
    if (!n.is_scalar()) r_.fail(n, path, "expected the name of a calendar, got " + describe(n));
    const long id = calendars_.find(n.text);
    if (id < 0)
      r_.fail(n, path, "unknown calendar '" + n.text + "' for " + who + "; " +
                           (calendars_.list().empty() ? std::string("the scenario lists no calendars; add")
                                                      : "calendars are: " + calendars_.all() + "; or add it to") +
                           " calendars: [{name: " + n.text + ", period: 24h, work: [[6h, 22h]]}]");
    return static_cast<uint32_t>(id);
  }

  // `workers: [{name, count}]`: pools of people that stations share.
  void read_workers() {
    const Node* list = optional_list(
        "workers", "a list of worker pools, each {name, count}, e.g. [{name: operators, count: 2}]", kMaxPools);
    if (!list) return;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const Node& item = list->items[i];
      const std::string path = item_path("workers", item, i);
      r_.expect_map(item, path, "a worker pool {name, count}");
      r_.check_keys(item, path, {"name", "count", "calendar"}, "worker pool at " + path);
      const Node& name = r_.need(item, "name", path, "the pool's name, e.g. name: operators");
      sim::WorkerPoolDef w;
      w.name = r_.name(name, path + ".name");
      pools_.add(r_, name, path + ".name", w.name, "worker pool");
      if (const Node* c = r_.get(item, "count"))
        w.count = static_cast<uint32_t>(r_.integer(*c, path + ".count", 1, kMaxWorkers));
      if (const Node* c = r_.get(item, "calendar")) w.calendar = calendar_ref(*c, path + ".calendar", "worker pool '" + w.name + "'");
      line_.workers.push_back(std::move(w));
    }
  }

  uint32_t pool_ref(const Node& n, const std::string& path, const std::string& station) {
    if (!n.is_scalar()) r_.fail(n, path, "expected the name of a worker pool, got " + describe(n));
    const long id = pools_.find(n.text);
    if (id < 0)
      r_.fail(n, path, "unknown worker pool '" + n.text + "' at station '" + station + "'; " +
                           (pools_.list().empty() ? std::string("the scenario lists no workers; add")
                                                  : "pools are: " + pools_.all() + "; or add it to") +
                           " workers: [{name: " + n.text + ", count: 1}]");
    return static_cast<uint32_t>(id);
  }

  // `needs: {POOL: N}`: the workers each setup and operation holds, all at once.
  void read_needs(const Node& item, const std::string& path, sim::StationDef& st) {
    const Node* n = r_.get(item, "needs");
    if (!n) return;
    const std::string npath = path + ".needs";
    r_.expect_map(*n, npath, "workers per pool for each setup and operation, e.g. {operators: 1}");
    for (std::size_t i = 0; i < n->keys.size(); ++i) {
      const std::string kpath = npath + "." + n->keys[i].text;
      const long id = pools_.find(n->keys[i].text);
      if (id < 0)
        r_.fail_key(*n, i, kpath, "unknown worker pool '" + n->keys[i].text + "' in the needs of station '" + st.name +
                                      "'; " + (pools_.list().empty() ? std::string("the scenario has no workers")
                                                                     : "pools are: " + pools_.all()));
      const uint32_t have = line_.workers[static_cast<std::size_t>(id)].count;
      const auto count = static_cast<uint32_t>(r_.integer(n->items[i], kpath, 1, kMaxWorkers));
      if (count > have)
        r_.fail(n->items[i], kpath, "expected at most the " + std::to_string(have) + " workers of pool '" +
                                        n->keys[i].text + "', got " + std::to_string(count) +
                                        ": the station could never start");
      st.needs.push_back({static_cast<uint32_t>(id), count});
    }
  }

  // `setup: DIST` for every change of product, `setup_matrix: {FROM: {TO: DIST}}` per pair (over
  // `setup`); the pairs neither gives need none.
  void read_setups(const Node& item, const std::string& path, sim::StationDef& st) {
    const Node* one = r_.get(item, "setup");
    const Node* matrix = r_.get(item, "setup_matrix");
    if (!one && !matrix) return;
    const std::size_t np = line_.products.size();
    const sim::Dist all = one ? read_dist(r_, *one, path + ".setup") : sim::Dist{};
    st.setups.assign(np * np, all);
    for (std::size_t p = 0; p < np; ++p) st.setups[p * np + p] = sim::Dist{};  // the same product: none
    if (!matrix) return;
    const std::string mpath = path + ".setup_matrix";
    const std::string hint = "setup times per pair of products {FROM: {TO: DIST}}, e.g. {red: {white: 15min}}";
    r_.expect_map(*matrix, mpath, hint);
    for (std::size_t i = 0; i < matrix->keys.size(); ++i) {
      const std::string fpath = mpath + "." + matrix->keys[i].text;
      const auto from = sim::idx(product_ref(*matrix, matrix->keys[i].text, fpath, "in the setup matrix of station '" + st.name + "'"));
      const Node& row = matrix->items[i];
      r_.expect_map(row, fpath, "the setup times from '" + matrix->keys[i].text + "' to each product, e.g. {" +
                                    products_.list().back() + ": 5min}");
      for (std::size_t j = 0; j < row.keys.size(); ++j) {
        const std::string tpath = fpath + "." + row.keys[j].text;
        const auto to = sim::idx(product_ref(row, row.keys[j].text, tpath, "in the setup matrix of station '" + st.name + "'"));
        if (to == from)
          r_.fail_key(row, j, tpath, "expected a product other than '" + row.keys[j].text +
                                         "': a setup is a change from one product to another");
        st.setups[from * np + to] = read_dist(r_, row.items[j], tpath);
      }
    }
  }

  // kW per machine state: `power: {busy, setup, idle, blocked, down, maintenance, off}`; a state
  // not given draws idle's (idle: starved or waiting for a worker), idle defaults to 0.
  void read_power(const Node& item, const std::string& path, sim::StationDef& st) {
    const Node* p = r_.get(item, "power");
    if (!p) return;
    const std::string ppath = path + ".power";
    r_.expect_map(*p, ppath, "kW per state, e.g. {busy: 7.5, idle: 1.2}");
    r_.check_keys(*p, ppath, {"busy", "setup", "idle", "blocked", "down", "maintenance", "off"},
                  "power of station '" + st.name + "'");
    auto kw = [&](const char* key) -> std::optional<double> {
      const Node* n = r_.get(*p, key);
      if (!n) return std::nullopt;
      const double v = r_.number(*n, ppath + "." + key);
      if (!(v >= 0) || !std::isfinite(v))
        r_.fail(*n, ppath + "." + key, "expected a power in kW >= 0, got " + describe(*n));
      return v;
    };
    const double idle = kw("idle").value_or(0);
    using S = sim::MachineState;
    st.power.assign(sim::kMachineStates, idle);
    const std::pair<const char*, S> keys[] = {{"busy", S::kBusy}, {"setup", S::kSetup}, {"blocked", S::kBlocked},
                                              {"down", S::kDown}, {"maintenance", S::kMaintenance}, {"off", S::kOff}};
    for (const auto& [key, state] : keys) st.power[static_cast<int>(state)] = kw(key).value_or(idle);
  }

  // A fraction of the items finished at a station, in [0, hi] (or [0, hi) when `open`).
  double fraction(const Node& n, const std::string& path, double hi, bool open, const std::string& why_open) {
    const double v = r_.number(n, path);
    if (!(v >= 0 && (open ? v < hi : v <= hi)))
      r_.fail(n, path, "expected a fraction of the finished items from 0 to " + std::string(open ? "below " : "") +
                           fmt::format("{:g}", hi) + why_open + ", got " + describe(n));
    return v;
  }

  void read_quality(const Node& item, const std::string& path, uint32_t station, sim::StationDef& st) {
    if (const Node* s = r_.get(item, "scrap")) st.scrap = fraction(*s, path + ".scrap", 1, false, "");
    const Node* rw = r_.get(item, "rework");
    if (!rw) return;
    const std::string rpath = path + ".rework";
    r_.expect_map(*rw, rpath, "{fraction: F, to: STATION} (the share sent back, and where)");
    r_.check_keys(*rw, rpath, {"fraction", "to"}, "rework of station '" + st.name + "'");
    const Node& f = r_.need(*rw, "fraction", rpath, "the share of finished items sent back, e.g. fraction: 0.05");
    st.rework = fraction(f, rpath + ".fraction", 1, true, " (at 1 every item would come back for ever)");
    if (st.scrap + st.rework > 1)
      r_.fail(f, rpath + ".fraction", "expected scrap and rework together at most 1 in station '" + st.name +
                                          "', got " + fmt::format("{:g}", st.scrap) + " + " + fmt::format("{:g}", st.rework));
    const Node& to = r_.need(*rw, "to", rpath, "the station reworked items go back to, e.g. to: " + st.name);
    st.rework_to = station_ref(to, rpath + ".to", "in the rework of station '" + st.name + "'");
    for (const auto& p : line_.products) {
      bool reached = false;
      for (sim::StationId s : p.route) {
        reached = reached || s == st.rework_to;
        if (sim::idx(s) == station && !reached)
          r_.fail(to, rpath + ".to",
                  "expected a station that the route of product '" + p.name + "' visits at or before '" + st.name +
                      "', got '" + to.text + "'");
      }
    }
  }

  void read_mix(const Node& mix, const std::string& mpath, sim::SourceDef& src) {
    r_.expect_map(mix, mpath, "a mapping of product to weight, e.g. {A: 0.7, B: 0.3}");
    if (mix.keys.empty()) r_.fail(mix, mpath, "expected at least one product in the mix, e.g. {A: 0.7, B: 0.3}");
    for (std::size_t i = 0; i < mix.keys.size(); ++i) {
      const std::string& pname = mix.keys[i].text;
      std::string wpath = mpath + "." + pname;
      if (products_.find(pname) < 0)
        r_.fail_key(mix, i, wpath, "unknown product '" + pname + "' in the mix of source '" + src.name +
                                       "'; products are: " + products_.all());
      double w = r_.number(mix.items[i], wpath);
      if (!(w > 0))
        r_.fail(mix.items[i], wpath, "expected a weight > 0 for product '" + pname + "' in the mix, got " +
                                         describe(mix.items[i]));
      src.mix.push_back(sim::MixEntry{product_ref(mix, pname, wpath, ""), w});
    }
  }

  void read_sources() {
    const Node& sources = list("sources", "a list of sources, each {name, product, interarrival}", kMaxSources);
    Names names;
    for (std::size_t i = 0; i < sources.items.size(); ++i) {
      const Node& item = sources.items[i];
      std::string path = item_path("sources", item, i);
      r_.expect_map(item, path, "a source {name, product or mix, interarrival or saturated: true}");
      const Node& name_node = r_.need(item, "name", path, "the source's name, e.g. name: arrivals");
      sim::SourceDef src;
      src.name = r_.name(name_node, path + ".name");
      names.add(r_, name_node, path + ".name", src.name, "source");
      r_.check_keys(item, path, {"name", "product", "mix", "interarrival", "saturated", "calendar", "lot"}, "source '" + src.name + "'");
      if (const Node* lot = r_.get(item, "lot")) src.lot = static_cast<uint32_t>(r_.integer(*lot, path + ".lot", 1, kMaxLot));
      if (const Node* c = r_.get(item, "calendar")) {
        src.calendar = calendar_ref(*c, path + ".calendar", "source '" + src.name + "'");
        if (const Node* sat = r_.get(item, "saturated"); sat && r_.boolean(*sat, path + ".saturated"))
          r_.fail(*c, path + ".calendar", "a saturated source releases whenever its first station takes work; give the calendar to that station instead");
      }
      const Node* product = r_.get(item, "product");
      const Node* mix = r_.get(item, "mix");
      if (product && mix)
        r_.fail(*mix, path + ".mix", "give either product or mix in source '" + src.name + "', not both");
      if (!product && !mix)
        r_.fail(item, path + ".product", "missing key 'product': expected product: NAME or mix: {NAME: weight, ...}");
      if (product) {
        if (!product->is_scalar()) r_.fail(*product, path + ".product", "expected a product name, got " + describe(*product));
        src.mix.push_back(sim::MixEntry{
            product_ref(*product, product->text, path + ".product", "in source '" + src.name + "'"), 1.0});
      } else {
        read_mix(*mix, path + ".mix", src);
      }
      const Node* sat = r_.get(item, "saturated");
      src.saturated = sat && r_.boolean(*sat, path + ".saturated");
      const Node* ia = r_.get(item, "interarrival");
      if (src.saturated && ia)
        r_.fail(*ia, path + ".interarrival",
                "give either interarrival or saturated: true in source '" + src.name + "', not both");
      if (!src.saturated) {
        if (!ia)
          r_.fail(item, path + ".interarrival",
                  "missing key 'interarrival': expected the time between arrivals, e.g. interarrival: "
                  "{dist: exponential, mean: 2}, or saturated: true");
        src.interarrival = read_dist(r_, *ia, path + ".interarrival");
        if (!positive_mean(src.interarrival))
          r_.fail(*ia, path + ".interarrival", "expected a time between arrivals with a mean > 0, got always 0");
      } else {
        for (const auto& e : src.mix) {
          const auto& p = line_.products[sim::idx(e.product)];
          bool some_time = false;
          for (sim::StationId s : p.route) some_time = some_time || positive_mean(line_.stations[sim::idx(s)].process[sim::idx(e.product)]);
          if (!some_time)
            r_.fail(*sat, path + ".saturated",
                    "a saturated source needs some process time on its route, but every station on the route of "
                    "product '" + p.name + "' takes 0");
        }
      }
      if (src.saturated && src.mix.size() > 1) {
        const auto& first = line_.products[sim::idx(src.mix.front().product)];
        for (const auto& e : src.mix) {
          const auto& p = line_.products[sim::idx(e.product)];
          if (p.route.front() != first.route.front())
            r_.fail(*mix, path + ".mix",
                    "a saturated source with a mix needs all its products to start at the same station; '" +
                        first.name + "' starts at " + line_.stations[sim::idx(first.route.front())].name +
                        " but '" + p.name + "' at " + line_.stations[sim::idx(p.route.front())].name);
        }
      }
      line_.sources.push_back(std::move(src));
    }
  }

  void read_transports() {
    const Node* transports =
        optional_list("transports", "a list of transports, each {from, to, time, capacity}", kMaxTransports);
    if (!transports) return;
    std::set<std::pair<uint32_t, uint32_t>> linked, seen;
    for (const auto& p : line_.products)
      for (std::size_t k = 0; k + 1 < p.route.size(); ++k) linked.emplace(sim::idx(p.route[k]), sim::idx(p.route[k + 1]));
    for (std::size_t i = 0; i < transports->items.size(); ++i) {
      const Node& item = transports->items[i];
      std::string path = item_path("transports", item, i);
      r_.expect_map(item, path, "a transport {from, to, time, capacity}");
      r_.check_keys(item, path, {"from", "to", "time", "capacity"}, "transport " + path);
      sim::TransportDef t;
      const Node& from = r_.need(item, "from", path, "the station items leave, e.g. from: m1");
      const Node& to = r_.need(item, "to", path, "the station items go to, e.g. to: m2");
      t.from = station_ref(from, path + ".from", "in transport " + path);
      t.to = station_ref(to, path + ".to", "in transport " + path);
      if (t.from == t.to) r_.fail(to, path + ".to", "expected a transport between two different stations, got " + from.text + " to itself");
      auto pair = std::make_pair(sim::idx(t.from), sim::idx(t.to));
      if (!linked.count(pair))
        r_.fail(item, path, "no product route goes from " + from.text + " to " + to.text +
                                ", so no item would ever use this transport");
      if (!seen.insert(pair).second)
        r_.fail(item, path, "transport from " + from.text + " to " + to.text + " given twice");
      t.time = read_dist(r_, r_.need(item, "time", path, "the travel time, e.g. time: 0.5"), path + ".time");
      if (const Node* c = r_.get(item, "capacity")) t.capacity = r_.count_or_inf(*c, path + ".capacity", 1, kMaxCapacity);
      line_.transports.push_back(std::move(t));
    }
  }

  const Reader& r_;
  const Node& root_;
  sim::LineDef& line_;
  std::vector<const Node*> bom_nodes_;  // per product: its `bom`, if any
  Names stations_, products_, pools_, calendars_;
};

}  // namespace

void read_line(const Reader& r, const Node& root, sim::LineDef& line) { LineReader(r, root, line).read(); }

}  // namespace linetwin::scenarios::detail
