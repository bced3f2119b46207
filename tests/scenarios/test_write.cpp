// write_scenario: every example line, and lines using every distribution and form, read back to
// identical definitions; the layout is read, validated and written back.
#include <doctest/doctest.h>

#include <string>

#include "scenarios/scenario.hpp"

using namespace linetwin::scenarios;
namespace sim = linetwin::sim;

namespace {

const std::string kDir = std::string(LINETWIN_SOURCE_DIR) + "/scenarios/";

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

void check_same_dist(const sim::Dist& a, const sim::Dist& b) {
  CHECK(a.kind == b.kind);
  CHECK(a == b);
}

// Field by field, exactly: a writer that rounds or drops anything fails here.
void check_same(const Scenario& a, const Scenario& b) {
  CHECK(a.line.name == b.line.name);
  CHECK(a.line.time_unit == b.line.time_unit);
  CHECK(a.run.horizon == b.run.horizon);
  CHECK(a.run.warmup == b.run.warmup);
  CHECK(a.run.replications == b.run.replications);
  CHECK(a.run.seed == b.run.seed);
  REQUIRE(a.line.products.size() == b.line.products.size());
  for (std::size_t i = 0; i < a.line.products.size(); ++i) {
    CHECK(a.line.products[i].name == b.line.products[i].name);
    CHECK(a.line.products[i].route == b.line.products[i].route);
    CHECK(a.line.products[i].priority == b.line.products[i].priority);
    REQUIRE(a.line.products[i].bom.size() == b.line.products[i].bom.size());
    for (std::size_t k = 0; k < a.line.products[i].bom.size(); ++k) {
      CHECK(a.line.products[i].bom[k].component == b.line.products[i].bom[k].component);
      CHECK(a.line.products[i].bom[k].count == b.line.products[i].bom[k].count);
    }
  }
  REQUIRE(a.line.sources.size() == b.line.sources.size());
  for (std::size_t i = 0; i < a.line.sources.size(); ++i) {
    const auto &x = a.line.sources[i], &y = b.line.sources[i];
    CHECK(x.name == y.name);
    CHECK(x.saturated == y.saturated);
    check_same_dist(x.interarrival, y.interarrival);
    REQUIRE(x.mix.size() == y.mix.size());
    for (std::size_t k = 0; k < x.mix.size(); ++k) {
      CHECK(x.mix[k].product == y.mix[k].product);
      CHECK(x.mix[k].weight == y.mix[k].weight);
    }
  }
  REQUIRE(a.line.stations.size() == b.line.stations.size());
  for (std::size_t i = 0; i < a.line.stations.size(); ++i) {
    const auto &x = a.line.stations[i], &y = b.line.stations[i];
    CHECK(x.name == y.name);
    CHECK(x.machines == y.machines);
    CHECK(x.buffer == y.buffer);
    CHECK(x.has_failures == y.has_failures);
    CHECK(x.scrap == y.scrap);
    CHECK(x.rework == y.rework);
    if (x.rework > 0) CHECK(x.rework_to == y.rework_to);
    REQUIRE(x.process.size() == y.process.size());
    for (std::size_t p = 0; p < x.process.size(); ++p) check_same_dist(x.process[p], y.process[p]);
    if (x.has_failures) {
      check_same_dist(x.failures.ttf, y.failures.ttf);
      check_same_dist(x.failures.ttr, y.failures.ttr);
    }
    REQUIRE(x.setups.size() == y.setups.size());
    for (std::size_t k = 0; k < x.setups.size(); ++k) check_same_dist(x.setups[k], y.setups[k]);
    CHECK(x.power == y.power);
    CHECK(x.failures.repair_by == y.failures.repair_by);
    CHECK(x.maintenance.every == y.maintenance.every);
    CHECK(x.discipline == y.discipline);
    CHECK(x.maintenance.by == y.maintenance.by);
    CHECK(x.calendar == y.calendar);
    CHECK(x.batch.size == y.batch.size);
    CHECK(x.batch.max_wait == y.batch.max_wait);
    if (x.has_maintenance()) check_same_dist(x.maintenance.duration, y.maintenance.duration);
    REQUIRE(x.needs.size() == y.needs.size());
    for (std::size_t k = 0; k < x.needs.size(); ++k) {
      CHECK(x.needs[k].pool == y.needs[k].pool);
      CHECK(x.needs[k].count == y.needs[k].count);
    }
  }
  REQUIRE(a.line.workers.size() == b.line.workers.size());
  for (std::size_t i = 0; i < a.line.workers.size(); ++i) {
    CHECK(a.line.workers[i].name == b.line.workers[i].name);
    CHECK(a.line.workers[i].count == b.line.workers[i].count);
    CHECK(a.line.workers[i].calendar == b.line.workers[i].calendar);
  }
  CHECK(a.line.calendar == b.line.calendar);
  REQUIRE(a.line.calendars.size() == b.line.calendars.size());
  for (std::size_t i = 0; i < a.line.calendars.size(); ++i) {
    const auto &x = a.line.calendars[i], &y = b.line.calendars[i];
    CHECK(x.name == y.name);
    CHECK(x.period == y.period);
    CHECK(x.work == y.work);
    CHECK(x.breaks == y.breaks);
  }
  REQUIRE(a.line.transports.size() == b.line.transports.size());
  for (std::size_t i = 0; i < a.line.transports.size(); ++i) {
    const auto &x = a.line.transports[i], &y = b.line.transports[i];
    CHECK(x.from == y.from);
    CHECK(x.to == y.to);
    CHECK(x.capacity == y.capacity);
    check_same_dist(x.time, y.time);
  }
  REQUIRE(a.factors.size() == b.factors.size());
  for (std::size_t i = 0; i < a.factors.size(); ++i) {
    CHECK(a.factors[i].path == b.factors[i].path);
    CHECK(a.factors[i].lo == b.factors[i].lo);
    CHECK(a.factors[i].hi == b.factors[i].hi);
    CHECK(a.factors[i].integer == b.factors[i].integer);
    CHECK(a.factors[i].base == b.factors[i].base);
  }
  REQUIRE(a.objective.has_value() == b.objective.has_value());
  if (a.objective) {
    CHECK(a.objective->maximize == b.objective->maximize);
    CHECK(a.objective->kpi == b.objective->kpi);
    CHECK(a.objective->cost == b.objective->cost);
  }
  REQUIRE(a.layout.stations.size() == b.layout.stations.size());
  for (std::size_t i = 0; i < a.layout.stations.size(); ++i) {
    CHECK(a.layout.stations[i].station == b.layout.stations[i].station);
    CHECK(a.layout.stations[i].x == b.layout.stations[i].x);
    CHECK(a.layout.stations[i].y == b.layout.stations[i].y);
    CHECK(a.layout.stations[i].angle == b.layout.stations[i].angle);
  }
  REQUIRE(a.layout.transports.size() == b.layout.transports.size());
  for (std::size_t i = 0; i < a.layout.transports.size(); ++i) {
    CHECK(a.layout.transports[i].transport == b.layout.transports[i].transport);
    CHECK(a.layout.transports[i].waypoints == b.layout.transports[i].waypoints);
  }
}

Scenario round_trip(const Scenario& sc) {
  std::string text = write_scenario(sc);
  auto back = parse_scenario(text, "written.yaml");
  REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message() + "\n" + text));
  return *back;
}

const std::string kEveryForm =
    "name: \"Every: form # of line\"\n"
    "time_unit: h\n"
    "horizon: 100.5\n"
    "warmup: 0.1\n"
    "replications: 3\n"
    "seed: 18446744073709551615\n"
    "products:\n"
    "  - {name: 'yes', route: [m1, \"2nd\", m3]}\n"
    "  - {name: B, route: [m1, m3]}\n"
    "sources:\n"
    "  - {name: src, mix: {'yes': 0.3, B: 2}, interarrival: {dist: empirical, values: [0.1, 0.2, 1e-7]}}\n"
    "  - {name: one, product: B, interarrival: {dist: weibull, shape: 1.5, scale: 0.3}}\n"
    "stations:\n"
    "  - name: m1\n"
    "    machines: 3\n"
    "    buffer: 0\n"
    "    process: {'yes': {dist: normal, mean: 0.1, sd: 0.01}, B: {dist: lognormal, mean: 0.2, sd: 0.05}}\n"
    "    failures: {ttf: {dist: erlang, mean: 20, k: 3}, ttr: {dist: uniform, min: 0.1, max: 0.3}}\n"
    "  - name: \"2nd\"\n"
    "    process: {dist: triangular, min: 0.01, mode: 0.02, max: 0.04}\n"
    "    scrap: 0.015\n"
    "    rework: {fraction: 0.1, to: m1}\n"
    "  - name: m3\n"
    "    process: 90s\n"
    "transports:\n"
    "  - {from: m1, to: \"2nd\", time: {dist: exponential, mean: 0.3333333333333333}, capacity: 7}\n"
    "  - {from: m1, to: m3, time: 0.01}\n"
    "factors:\n"
    "  - {path: stations.m1.machines, range: [1, 5], integer: true}\n"
    "  - {path: transports.m1>m3.time, range: [0.005, 0.02]}\n"
    "objective: {minimize: lead_time, cost: {stations.m1.machines: 1.5e-3}}\n"
    "layout:\n"
    "  m1: [0, 0]\n"
    "  \"2nd\": {x: 6.25, y: -3, angle: 90}\n"
    "  m1>m3: [[3, 2], [3, 8.5]]\n";

}  // namespace

TEST_CASE("every example line is written and read back to identical definitions") {
  for (const char* name : {"bottling_line.yaml", "machining_cell.yaml", "assembly_line.yaml"}) {
    CAPTURE(name);
    auto sc = load_scenario(kDir + name);
    REQUIRE_MESSAGE(sc.ok(), (sc.ok() ? "" : sc.error().message()));
    check_same(*sc, round_trip(*sc));
  }
}

TEST_CASE("every distribution and quoted names and mixes and factors and a layout survive the round trip") {
  auto sc = parse_scenario(kEveryForm, "every.yaml");
  REQUIRE_MESSAGE(sc.ok(), (sc.ok() ? "" : sc.error().message()));
  CHECK(sc->line.name == "Every: form # of line");
  REQUIRE(sc->layout.stations.size() == 2);
  CHECK(sim::idx(sc->layout.stations[1].station) == 1);
  CHECK(sc->layout.stations[1].angle == 90);
  REQUIRE(sc->layout.transports.size() == 1);
  CHECK(sim::idx(sc->layout.transports[0].transport) == 1);
  CHECK(sc->layout.transports[0].waypoints.size() == 2);
  Scenario back = round_trip(*sc);
  check_same(*sc, back);
  // and a second trip changes nothing in the text either
  CHECK(write_scenario(back) == write_scenario(*sc));
}

TEST_CASE("an edited scenario is written with its changes") {
  auto sc = load_scenario(kDir + "bottling_line.yaml");
  REQUIRE(sc.ok());
  sc->line.stations[2].machines = 2;
  sc->line.stations[2].buffer = 75;
  sc->line.stations[2].process[0].normal.mean = 2.75;
  Scenario back = round_trip(*sc);
  CHECK(back.line.stations[2].machines == 2);
  CHECK(back.line.stations[2].buffer == 75);
  CHECK(back.line.stations[2].process[0].normal.mean == 2.75);
}

TEST_CASE("a bad layout is refused naming its key and line") {
  const std::string base =
      "name: x\nproducts: [{name: A, route: [m1, m2]}]\n"
      "sources: [{name: s, product: A, interarrival: 1}]\n"
      "stations: [{name: m1, process: 0.5}, {name: m2, process: 0.5}]\n"
      "transports: [{from: m1, to: m2, time: 1}]\n";
  auto bad = [&](const std::string& layout) {
    auto r = parse_scenario(base + "layout:\n" + layout, "l.yaml");
    REQUIRE_FALSE(r.ok());
    return r.error().message();
  };
  std::string m = bad("  m3: [0, 0]\n");
  CAPTURE(m);
  CHECK(has(m, "l.yaml:7:"));
  CHECK(has(m, "layout.m3"));
  CHECK(has(m, "unknown station 'm3'"));
  CHECK(has(bad("  m1: [0]\n"), "expected a point [x, y]"));
  CHECK(has(bad("  m1: [0, abc]\n"), "layout.m1"));
  CHECK(has(bad("  m1: [0, 1e9]\n"), "between -100000 and 100000"));
  CHECK(has(bad("  m1: {x: 0, z: 1}\n"), "'z'"));
  CHECK(has(bad("  m1: {x: 0}\n"), "missing key 'y'"));
  CHECK(has(bad("  m1: {x: 0, y: 0, angle: 1000}\n"), "angle"));
  CHECK(has(bad("  m2>m1: [[0, 0]]\n"), "no transport 'm2>m1'"));
  CHECK(has(bad("  m1>m2: [0, 0]\n"), "expected a point [x, y]"));
  CHECK(has(bad("  m1>m2: 3\n"), "waypoints"));
  auto ok = parse_scenario(base + "layout: {m2: [5, 0], m1>m2: [[2, 1]]}\n", "l.yaml");
  REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? "" : ok.error().message()));
  CHECK(ok->layout.stations.size() == 1);
  CHECK(ok->layout.stations[0].x == 5);
}

TEST_CASE("setups, setup matrices, power, workers, maintenance, disciplines, assembly, calendars and batches survive the round trip") {
  for (const char* name : {"changeover.yaml", "changeover_matrix.yaml", "power_mm1.yaml", "interference.yaml",
                           "operators_mm2.yaml", "age_replacement.yaml", "priority_mm1.yaml", "spt_mm1.yaml",
                           "assembly_random.yaml", "calendar_saturated.yaml", "calendar_pool.yaml", "batch_line.yaml"}) {
    CAPTURE(name);
    auto sc = load_scenario(std::string(LINETWIN_SOURCE_DIR) + "/tests/sim/scenarios/" + name);
    REQUIRE_MESSAGE(sc.ok(), (sc.ok() ? "" : sc.error().message()));
    bool ordered = false;
    for (const auto& st : sc->line.stations) ordered = ordered || st.discipline != sim::Discipline::kFifo;
    REQUIRE((sc->line.has_setups() || sc->line.has_power() || sc->line.has_workers() || ordered ||
             sc->line.has_assembly() || sc->line.has_calendars() || sc->line.has_batches()));
    check_same(*sc, round_trip(*sc));
  }
}
