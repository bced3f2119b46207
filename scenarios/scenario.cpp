// Scenario files into sim::LineDef and sim::RunDef: the public entry points, the top-level keys,
// factors and the objective. The line sections are in line_read.cpp, distributions in
// dist_parse.cpp, --set paths in overrides.cpp, typed reads in reader.cpp, YAML in yaml_tree.cpp.
//
// Defaults when a key is absent: time_unit min; horizon 10000 (in time_unit); warmup 0 (the
// contract's example writes 1000, but a file that says nothing should not silently lose data);
// replications 10; seed 1. layout (for the viewer) is read in layout_read.cpp, orders (for
// planning) in orders_read.cpp.
//
// Inside the module, problems are thrown as ScenarioError and caught here, so that the readers stay
// straight-line code; nothing escapes the public functions.
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <new>
#include <set>

#include "core/files.hpp"
#include "core/text.hpp"
#include "scenarios/line_read.hpp"
#include "sim/line.hpp"
#include "scenarios/overrides.hpp"
#include "scenarios/reader.hpp"

namespace linetwin::scenarios {
namespace detail {
namespace {

constexpr double kDefaultHorizon = 10000;
constexpr uint64_t kMaxReplications = 100'000;
constexpr std::size_t kMaxNameLength = 200;

const std::vector<std::string_view> kTopKeys = {
    "name",     "description", "time_unit", "horizon", "warmup",  "replications", "seed",   "products",
    "sources",  "stations",    "transports", "factors", "objective", "layout",     "orders",
    "workers",  "calendars",   "calendar"};
const std::vector<std::string_view> kKpis = {"throughput", "lead_time", "wip", "lost", "scrap", "power",
                                             "energy_per_item"};

std::string kpi_list() {
  std::string out;
  for (auto k : kKpis) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

void read_run(const Reader& r, const Node& root, sim::RunDef& run) {
  run.horizon = kDefaultHorizon;
  run.warmup = 0;
  if (const Node* h = r.get(root, "horizon")) {
    run.horizon = r.time(*h, "horizon");
    if (!(run.horizon > 0)) r.fail(*h, "horizon", "expected a run length > 0, got " + describe(*h));
  }
  if (const Node* w = r.get(root, "warmup")) {
    run.warmup = r.time(*w, "warmup");
    if (!(run.warmup >= 0)) r.fail(*w, "warmup", "expected a warm-up time >= 0, got " + describe(*w));
  }
  if (const Node* n = r.get(root, "replications"))
    run.replications = static_cast<uint32_t>(r.integer(*n, "replications", 1, kMaxReplications));
  if (const Node* s = r.get(root, "seed")) run.seed = r.integer(*s, "seed", 0, UINT64_MAX);
}

// The number a factor path points at, in time_unit when it is written as a time.
double factor_base(const Reader& r, const Node& root, const Node& path_node, const std::string& fpath) {
  const std::string& path = path_node.text;
  std::string why;
  const Node* target = resolve_path(root, path, why);
  if (!target) {
    // A station's machine count is the one numeric key whose default a factor commonly turns.
    auto dot = path.rfind('.');
    std::string parent_path = dot == std::string::npos ? "" : path.substr(0, dot);
    std::string why_parent;
    const Node* parent = parent_path.empty() ? nullptr : resolve_path(root, parent_path, why_parent);
    if (parent && parent->is_map() && path.substr(dot + 1) == "machines" && parent_path.rfind("stations.", 0) == 0)
      return 1;
    r.fail(path_node, fpath + ".path", "the factor path does not lead to a value in this scenario: " + why);
  }
  auto v = target->is_scalar() ? parse_time(target->text, r.time_unit) : std::nullopt;
  // A value a --set put there is the --set's fault, not the factor's: name the override.
  if (!v && target->origin > 0)
    r.fail(*target, path, "expected a number here, since the scenario has a factor on it, got " + describe(*target));
  if (!v)
    r.fail(path_node, fpath + ".path",
           "expected the factor path to lead to a number, but '" + path + "' holds " + describe(*target));
  return *v;
}

void read_factors(const Reader& r, const Node& root, std::vector<Factor>& factors) {
  const Node* list = r.get(root, "factors");
  if (!list) return;
  r.expect_seq(*list, "factors", "a list of factors, each {path, range: [lo, hi], integer}");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list->items.size(); ++i) {
    const Node& item = list->items[i];
    std::string fpath = item_path("factors", item, i);
    r.expect_map(item, fpath, "a factor {path, range: [lo, hi], integer}");
    r.check_keys(item, fpath, {"path", "range", "integer"}, "factor " + fpath);
    Factor f;
    const Node& path_node = r.need(item, "path", fpath, "a path into this file, e.g. path: stations.m1.machines");
    f.path = r.string(path_node, fpath + ".path");
    if (!seen.insert(f.path).second) r.fail(path_node, fpath + ".path", "factor '" + f.path + "' given twice");
    f.base = factor_base(r, root, path_node, fpath);
    if (const Node* in = r.get(item, "integer")) f.integer = r.boolean(*in, fpath + ".integer");
    const Node& range = r.need(item, "range", fpath, "the values it may take, e.g. range: [1, 4]");
    std::string rpath = fpath + ".range";
    if (!range.is_seq() || range.items.size() != 2)
      r.fail(range, rpath, "expected [lo, hi], got " + (range.is_seq() ? "a list of " + std::to_string(range.items.size()) : describe(range)));
    f.lo = r.number(range.items[0], rpath);
    f.hi = r.number(range.items[1], rpath);
    if (!(f.lo < f.hi)) r.fail(range, rpath, "expected lo < hi in [lo, hi], got [" + range.items[0].text + ", " + range.items[1].text + "]");
    if (f.integer && (f.lo != std::floor(f.lo) || f.hi != std::floor(f.hi)))
      r.fail(range, rpath, "expected whole numbers for an integer factor, got [" + range.items[0].text + ", " + range.items[1].text + "]");
    factors.push_back(std::move(f));
  }
}

std::optional<Objective> read_objective(const Reader& r, const Node& root, const std::vector<Factor>& factors) {
  const Node* n = r.get(root, "objective");
  if (!n) return std::nullopt;
  r.expect_map(*n, "objective", "{maximize: KPI} or {minimize: KPI}, with an optional cost: {FACTOR: number}");
  r.check_keys(*n, "objective", {"maximize", "minimize", "cost"}, "the objective");
  const Node* mx = r.get(*n, "maximize");
  const Node* mn = r.get(*n, "minimize");
  if (mx && mn) r.fail(*mn, "objective.minimize", "give either maximize or minimize, not both");
  if (!mx && !mn) r.fail(*n, "objective.maximize", "missing key 'maximize' or 'minimize': expected one KPI of " + kpi_list());
  Objective obj;
  obj.maximize = mx != nullptr;
  const Node& kpi = mx ? *mx : *mn;
  std::string kpath = mx ? "objective.maximize" : "objective.minimize";
  obj.kpi = r.string(kpi, kpath);
  if (std::find(kKpis.begin(), kKpis.end(), obj.kpi) == kKpis.end())
    r.fail(kpi, kpath, "expected one of " + kpi_list() + ", got " + describe(kpi));
  if (const Node* cost = r.get(*n, "cost")) {
    r.expect_map(*cost, "objective.cost", "a mapping of factor path to cost per unit, e.g. {stations.m1.machines: 0.05}");
    std::vector<std::string> paths;
    for (const auto& f : factors) paths.push_back(f.path);
    for (std::size_t i = 0; i < cost->keys.size(); ++i) {
      const std::string& p = cost->keys[i].text;
      std::string cpath = "objective.cost." + p;
      if (std::find(paths.begin(), paths.end(), p) == paths.end())
        r.fail_key(*cost, i, cpath, "a cost must belong to a factor, and '" + p + "' is not one; factors are: " +
                                        (paths.empty() ? std::string("none") : join(paths)));
      obj.cost.emplace_back(p, r.number(cost->items[i], cpath));
    }
  }
  return obj;
}

Scenario read_scenario(Reader& r, const Node& root, const std::string& file) {
  r.check_keys(root, "", kTopKeys, "the scenario");
  Scenario sc;
  sc.file = file;
  // time_unit first: every time in the file, wherever it stands, is read in it.
  if (const Node* u = r.get(root, "time_unit")) {
    const auto unit = parse_time_unit(r.string(*u, "time_unit"));
    if (!unit) r.fail(*u, "time_unit", "expected one of s, min, h, got " + describe(*u));
    r.time_unit = *unit;
  }
  sc.line.time_unit = r.time_unit;
  const Node& name = r.need(root, "name", "", "the scenario's name, e.g. name: Two-station line");
  sc.line.name = r.string(name, "name");
  if (sc.line.name.find_first_not_of(" \t") == std::string::npos || sc.line.name.size() > kMaxNameLength)
    r.fail(name, "name", "expected a name of 1 to 200 characters, got " + describe(name));
  if (const Node* d = r.get(root, "description")) r.string(*d, "description");
  read_run(r, root, sc.run);
  read_line(r, root, sc.line);
  read_layout(r, root, sc.line, sc.layout);
  read_orders(r, root, sc.line, sc.orders);
  read_factors(r, root, sc.factors);
  sc.objective = read_objective(r, root, sc.factors);
  return sc;
}

Result<Scenario> parse_checked(const std::string& text, const std::string& file,
                               const std::vector<Override>& overrides) {
  if (text.size() > kMaxScenarioBytes)
    return Error::in(file, "the scenario is larger than 16 MiB; a scenario file is a few kilobytes");
  Node root = parse_yaml(text, file, 0);
  const std::string top = "a scenario: a mapping with name, products, sources and stations";
  if (root.is_null()) return Error::in(file, "the scenario is empty; expected " + top);
  if (!root.is_map()) return Error::at(file, root.line, root.column, "", "expected " + top + ", got " + describe(root));
  apply_overrides(root, overrides);
  Reader r(file, overrides);
  check_duplicate_keys(r, root, "");
  return read_scenario(r, root, file);
}

}  // namespace
}  // namespace detail

Result<Scenario> parse_scenario(const std::string& text, const std::string& file,
                                const std::vector<Override>& overrides) {
  // Before YAML sees it: yaml-cpp calls a NUL byte an "unknown escape character" and passes
  // Latin-1 through, to come out as invalid UTF-8 in the JSON.
  if (const auto bad = find_text_problem(text)) {
    const auto [line, column] = line_and_column(text, bad->offset);
    const std::string byte = fmt::format("0x{:02X}", static_cast<unsigned char>(text[bad->offset]));
    return Error::at(file, line, column, "",
                     bad->nul ? "the file holds a NUL byte here, and a scenario is text (is it a binary file?)"
                              : std::string("the text is not valid UTF-8 here (a byte ") + byte +
                                    ", as Latin-1 or Windows-1252 would write it); save the scenario as UTF-8");
  }
  try {
    Result<Scenario> sc = detail::parse_checked(text, file, overrides);
    // The simulator's own preconditions, as a last net under the checks above, which give
    // better words; a definition that passes them but not this would be a gap to close there.
    if (sc.ok())
      if (std::string problem = sim::check_line(sc->line); !problem.empty())
        return Error::in(file, problem);
    return sc;
  } catch (const detail::ScenarioError& e) {
    return e.error;
  } catch (const std::bad_alloc&) {
    return Error::in(file, "the scenario is too large to hold in memory");
  } catch (const std::exception& e) {
    return Error::in(file, std::string("cannot read the scenario: ") + e.what());
  } catch (...) {
    return Error::in(file, "cannot read the scenario: unexpected failure");
  }
}

Result<Scenario> load_scenario(const std::string& path, const std::vector<Override>& overrides) {
  auto text = read_file_limited(path, kMaxScenarioBytes, "scenario file");
  if (!text) return text.error();
  return parse_scenario(*text, path, overrides);
}

}  // namespace linetwin::scenarios
