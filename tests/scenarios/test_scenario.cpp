// Scenario files: the example lines load with the structure they describe, times convert, --set
// overrides apply, and every kind of bad input is refused with a message naming the key or name
// and the line (or the --set) responsible.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"
#include "sim/line.hpp"

using linetwin::Error;
using namespace linetwin::scenarios;
namespace sim = linetwin::sim;

namespace {

const std::string kDir = std::string(LINETWIN_SOURCE_DIR) + "/scenarios/";

// Line numbers below refer to this text.
const std::string kBase =
    "name: Test line\n"                                              // 1
    "time_unit: min\n"                                               // 2
    "products:\n"                                                    // 3
    "  - name: A\n"                                                  // 4
    "    route: [m1, m2]\n"                                          // 5
    "sources:\n"                                                     // 6
    "  - name: arrivals\n"                                           // 7
    "    product: A\n"                                               // 8
    "    interarrival: {dist: exponential, mean: 2}\n"               // 9
    "stations:\n"                                                    // 10
    "  - name: m1\n"                                                 // 11
    "    machines: 1\n"                                              // 12
    "    process: {dist: exponential, mean: 1}\n"                    // 13
    "  - name: m2\n"                                                 // 14
    "    process: 1.5\n"                                             // 15
    "transports:\n"                                                  // 16
    "  - {from: m1, to: m2, time: 0.5, capacity: 4}\n";              // 17

// kBase with the first occurrence of `from` replaced by `to` (which must be there).
std::string with(const std::string& from, const std::string& to, const std::string& text = kBase) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.substr(0, at) + to + text.substr(at + from.size());
}

Scenario ok(const std::string& text, const std::vector<Override>& overrides = {}) {
  auto r = parse_scenario(text, "t.yaml", overrides);
  if (!r) FAIL("unexpected error: " << r.error().message());
  return *r;
}

Error err(const std::string& text, const std::vector<Override>& overrides = {}) {
  auto r = parse_scenario(text, "t.yaml", overrides);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

std::vector<Override> set(const std::string& flag) {
  auto o = parse_override(flag);
  REQUIRE(o.ok());
  return {*o};
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the bottling line loads as a six-machine line in seconds with a breakdown-prone filler, two sizes and changeovers") {
  auto r = load_scenario(kDir + "bottling_line.yaml");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  const Scenario& s = *r;
  CHECK(s.line.time_unit == linetwin::TimeUnit::kSecond);
  CHECK(s.run.horizon == doctest::Approx(8 * 3600));
  CHECK(s.run.warmup == doctest::Approx(30 * 60));
  CHECK(s.run.replications == 10);
  REQUIRE(s.line.stations.size() == 6);
  CHECK(s.line.stations[2].name == "filler");
  CHECK(s.line.stations[2].has_failures);
  CHECK(s.line.stations[2].failures.ttf.kind == sim::DistKind::kExponential);
  CHECK(s.line.stations[2].failures.ttf.exponential.mean == doctest::Approx(45 * 60));
  CHECK(s.line.stations[2].buffer == 30);
  // Two bottle sizes on the same route, released in lots, with changeovers at the filler.
  REQUIRE(s.line.products.size() == 2);
  CHECK(s.line.products[0].route.size() == 6);
  CHECK(s.line.products[1].route == s.line.products[0].route);
  REQUIRE(s.line.sources.size() == 1);
  CHECK(s.line.sources[0].saturated);
  CHECK(s.line.sources[0].mix.size() == 2);
  CHECK(s.line.sources[0].lot > 1);
  CHECK(s.line.stations[2].has_setups());
  CHECK(s.line.stations[2].scrap > 0);
  CHECK(s.line.transports.size() == 5);
  for (const auto& t : s.line.transports) CHECK(t.capacity != sim::kUnlimited);
  CHECK(s.factors.size() >= 2);
  REQUIRE(s.objective.has_value());
  CHECK(s.objective->maximize);
  CHECK(s.objective->kpi == "throughput");
  CHECK_FALSE(s.objective->cost.empty());
  CHECK(sim::check_line(s.line).empty());
}

TEST_CASE("the machining cell loads with a three-part mix and per-product process times") {
  auto r = load_scenario(kDir + "machining_cell.yaml");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  const Scenario& s = *r;
  CHECK(s.line.time_unit == linetwin::TimeUnit::kMinute);
  REQUIRE(s.line.products.size() == 3);
  REQUIRE(s.line.sources.size() == 1);
  CHECK(s.line.sources[0].mix.size() == 3);
  CHECK(s.line.sources[0].interarrival.kind == sim::DistKind::kExponential);
  const sim::StationDef* lathe = nullptr;
  for (const auto& st : s.line.stations)
    if (st.name == "lathe") lathe = &st;
  REQUIRE(lathe != nullptr);
  CHECK(lathe->machines >= 2);
  CHECK(lathe->has_failures);
  REQUIRE(lathe->process.size() == 3);
  CHECK(lathe->process[0].kind == sim::DistKind::kLognormal);
  // brackets never visit the lathe: their entry is a constant 0
  CHECK(lathe->process[2].kind == sim::DistKind::kConstant);
  CHECK(lathe->process[2].value == 0);
  for (const auto& st : s.line.stations) CHECK(st.buffer != sim::kUnlimited);
  CHECK(sim::check_line(s.line).empty());
}

TEST_CASE("the e-bike line assembles frames, wheels and battery packs on two shifts with shared operators") {
  auto r = load_scenario(kDir + "assembly_line.yaml");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  const Scenario& s = *r;
  REQUIRE(s.line.stations.size() == 10);
  CHECK(s.line.transports.size() == 9);
  int with_failures = 0;
  for (const auto& st : s.line.stations) with_failures += st.has_failures;
  CHECK(with_failures >= 2);
  for (const auto& t : s.line.transports) CHECK(t.capacity != sim::kUnlimited);
  // The e-bike is made at the wheel station from one frame, two wheels and one battery pack, and
  // each component's route ends there.
  const sim::ProductDef* bike = nullptr;
  for (const auto& p : s.line.products)
    if (p.name == "ebike") bike = &p;
  REQUIRE(bike != nullptr);
  REQUIRE(bike->assembled());
  const sim::StationId join = bike->route.front();
  CHECK(s.line.stations[sim::idx(join)].name == "wheels");
  std::map<std::string, uint32_t> bom;
  for (const auto& c : bike->bom) {
    const auto& component = s.line.products[sim::idx(c.component)];
    bom[component.name] = c.count;
    CHECK(sim::idx(component.route.back()) == sim::idx(join));
  }
  CHECK(bom == std::map<std::string, uint32_t>{{"frame", 1}, {"wheel", 2}, {"battery", 1}});
  // Two shifts for the line, operators shared by three manual stations, a technician for repairs.
  CHECK(s.line.calendar != sim::kNoCalendar);
  REQUIRE(s.line.workers.size() == 2);
  int manual = 0;
  for (const auto& st : s.line.stations) manual += !st.needs.empty();
  CHECK(manual == 3);
  CHECK(s.line.workers[0].count < static_cast<uint32_t>(manual));
  CHECK(sim::check_line(s.line).empty());
}

TEST_CASE("parse_time converts units into the scenario's unit and refuses bad ones") {
  using linetwin::parse_time;
  using linetwin::TimeUnit;
  CHECK(*parse_time("90s", TimeUnit::kMinute) == doctest::Approx(1.5));
  CHECK(*parse_time("2.5h", TimeUnit::kMinute) == doctest::Approx(150));
  CHECK(*parse_time("15min", TimeUnit::kSecond) == doctest::Approx(900));
  CHECK(*parse_time("1.5 min", TimeUnit::kSecond) == doctest::Approx(90));
  CHECK(*parse_time("90", TimeUnit::kMinute) == doctest::Approx(90));
  CHECK(*parse_time("30min", TimeUnit::kHour) == doctest::Approx(0.5));
  CHECK(*parse_time("5 days", TimeUnit::kMinute) == doctest::Approx(7200));
  CHECK(*parse_time("30d", TimeUnit::kHour) == doctest::Approx(720));
  CHECK(*parse_time("2w", TimeUnit::kHour) == doctest::Approx(336));
  CHECK(*parse_time("1 week", TimeUnit::kSecond) == doctest::Approx(604800));
  CHECK_FALSE(parse_time("5 months", TimeUnit::kMinute).has_value());
  CHECK_FALSE(parse_time("5dd", TimeUnit::kMinute).has_value());
  CHECK_FALSE(parse_time("5x", TimeUnit::kMinute).has_value());
  CHECK_FALSE(parse_time("", TimeUnit::kMinute).has_value());
  CHECK_FALSE(parse_time("min", TimeUnit::kMinute).has_value());
  CHECK_FALSE(parse_time("inf", TimeUnit::kMinute).has_value());
  CHECK_FALSE(parse_time("nan", TimeUnit::kMinute).has_value());
  CHECK_FALSE(parse_time("1e400", TimeUnit::kMinute).has_value());
  // A scenario's time_unit is s, min or h exactly: an unknown unit is refused, never a default.
  CHECK_FALSE(linetwin::parse_time_unit("days").has_value());
  CHECK_FALSE(linetwin::parse_time_unit("minutes").has_value());
  CHECK(linetwin::seconds_in(*linetwin::parse_time_unit("min")) == 60);
  CHECK(linetwin::convert_time(90, TimeUnit::kSecond, TimeUnit::kMinute) == doctest::Approx(1.5));
}

TEST_CASE("defaults and times with units") {
  auto s = ok(with("process: 1.5", "process: 90s"));
  CHECK(s.run.horizon == 10000);
  CHECK(s.run.warmup == 0);
  CHECK(s.run.replications == 10);
  CHECK(s.run.seed == 1);
  CHECK(s.line.stations[0].buffer == sim::kUnlimited);
  CHECK(s.line.stations[1].process[0].kind == sim::DistKind::kConstant);
  CHECK(s.line.stations[1].process[0].value == doctest::Approx(1.5));
  CHECK(s.line.transports[0].capacity == 4);
  CHECK_FALSE(s.objective.has_value());
}

TEST_CASE("time_unit applies to every time in the file wherever it is written") {
  std::string text = with("time_unit: min\n", "horizon: 2h\nwarmup: 600\n") + "time_unit: s\n";
  auto s = ok(text);
  CHECK(s.line.time_unit == linetwin::TimeUnit::kSecond);
  CHECK(s.run.horizon == doctest::Approx(7200));
  CHECK(s.run.warmup == doctest::Approx(600));
  CHECK(s.line.stations[1].process[0].value == doctest::Approx(1.5));
}

TEST_CASE("every distribution kind is read into sim::Dist") {
  struct Case {
    std::string yaml;
    sim::Dist expected;
  };
  const Case cases[] = {
      {"{dist: constant, value: 2}", sim::constant(2)},
      {"{dist: exponential, mean: 2}", sim::exponential(2)},
      {"{dist: normal, mean: 2, sd: 0.5}", sim::normal(2, 0.5)},
      {"{dist: lognormal, mean: 2, sd: 1}", sim::lognormal(2, 1)},
      {"{dist: uniform, min: 1, max: 3}", sim::uniform(1, 3)},
      {"{dist: triangular, min: 1, mode: 2, max: 4}", sim::triangular(1, 2, 4)},
      {"{dist: erlang, mean: 2, k: 3}", sim::erlang(2, 3)},
      {"{dist: weibull, shape: 1.5, scale: 120s}", sim::weibull(1.5, 2)},
  };
  for (const auto& c : cases) {
    CAPTURE(c.yaml);
    auto s = ok(with("process: 1.5", "process: " + c.yaml));
    const sim::Dist& d = s.line.stations[1].process[0];
    CHECK(d.kind == c.expected.kind);
    CHECK(d == c.expected);  // every parameter, exactly: these times convert without rounding
  }
  auto s = ok(with("process: 1.5", "process: {dist: erlang, mean: 2, k: 3}"));
  CHECK(s.line.stations[1].process[0].erlang.k == 3);
  s = ok(with("process: 1.5", "process: {dist: empirical, values: [1, 2, 60s]}"));
  CHECK(s.line.stations[1].process[0].values == std::vector<double>{1, 2, 1});
}

TEST_CASE("an unknown key is refused with its line and a suggestion") {
  auto e = err(with("machines: 1", "machinez: 1"));
  CHECK(e.line == 12);
  CHECK(has(e.message(), "t.yaml:12:"));
  CHECK(has(e.message(), "stations.m1.machinez"));
  CHECK(has(e.message(), "did you mean 'machines'"));
  auto top = err(kBase + "horizn: 100\n");
  CHECK(has(top.message(), "unknown key 'horizn'"));
  CHECK(has(top.message(), "horizon"));
}

TEST_CASE("a wrong type is refused") {
  auto e = err(with("machines: 1", "machines: [1, 2]"));
  CHECK(has(e.message(), "t.yaml:12:"));
  CHECK(has(e.message(), "stations.m1.machines"));
  CHECK(has(e.message(), "got a list"));
  auto r = err(with("route: [m1, m2]", "route: m1"));
  CHECK(has(r.message(), "products.A.route"));
  CHECK(has(r.message(), "expected a list of station names"));
}

TEST_CASE("negative and absurd values are refused") {
  auto neg = err(with("mean: 1}", "mean: -1}"));
  CHECK(has(neg.message(), "t.yaml:13:"));
  CHECK(has(neg.message(), "stations.m1.process.mean"));
  CHECK(has(neg.message(), "'-1'"));
  auto huge = err(with("machines: 1", "machines: 1000000000"));
  CHECK(has(huge.message(), "t.yaml:12:"));
  CHECK(has(huge.message(), "stations.m1.machines"));
  CHECK(has(huge.message(), "1 to 10000"));
  auto big_time = err(with("mean: 1}", "mean: 1e300}"));
  CHECK(has(big_time.message(), "stations.m1.process.mean"));
  auto buffer = err(with("machines: 1", "buffer: -3"));
  CHECK(has(buffer.message(), "stations.m1.buffer"));
  auto frac = err(with("machines: 1", "machines: 2.5"));
  CHECK(has(frac.message(), "expected an integer"));
  auto reps = err(kBase + "replications: 0\n");
  CHECK(has(reps.message(), "replications"));
  CHECK(has(reps.message(), "t.yaml:18:"));
}

TEST_CASE("an unknown distribution is refused, listing the known ones") {
  auto e = err(with("dist: exponential, mean: 1", "dist: expo, mean: 1"));
  CHECK(has(e.message(), "t.yaml:13:"));
  CHECK(has(e.message(), "stations.m1.process.dist"));
  CHECK(has(e.message(), "'expo'"));
  CHECK(has(e.message(), "constant, exponential, normal"));
}

TEST_CASE("a missing distribution parameter is named") {
  auto e = err(with("dist: exponential, mean: 1", "dist: normal, mean: 1"));
  CHECK(has(e.message(), "t.yaml:13:"));
  CHECK(has(e.message(), "stations.m1.process.sd"));
  CHECK(has(e.message(), "missing key 'sd'"));
  auto tri = err(with("process: 1.5", "process: {dist: triangular, min: 3, mode: 2, max: 4}"));
  CHECK(has(tri.message(), "stations.m2.process.mode"));
  auto k = err(with("process: 1.5", "process: {dist: erlang, mean: 2, k: 0}"));
  CHECK(has(k.message(), "stations.m2.process.k"));
  auto extra = err(with("process: 1.5", "process: {dist: exponential, mean: 2, sd: 1}"));
  CHECK(has(extra.message(), "unknown key 'sd'"));
}

TEST_CASE("an unknown station in a route is refused, listing the stations") {
  auto e = err(with("route: [m1, m2]", "route: [m1, m9]"));
  CHECK(has(e.message(), "t.yaml:5:"));
  CHECK(has(e.message(), "unknown station 'm9' in route of product 'A'; stations are: m1, m2"));
}

TEST_CASE("duplicate names and duplicate keys are refused") {
  auto names = err(with("  - name: m2\n", "  - name: m1\n"));
  CHECK(has(names.message(), "t.yaml:14:"));
  CHECK(has(names.message(), "duplicate station name 'm1'"));
  auto keys = err(with("machines: 1\n", "machines: 1\n    machines: 2\n"));
  CHECK(has(keys.message(), "t.yaml:13:"));
  CHECK(has(keys.message(), "duplicate key 'machines'"));
  CHECK(has(keys.message(), "line 12"));
  auto top = err(kBase + "name: Again\n");
  CHECK(has(top.message(), "duplicate key 'name'"));
}

TEST_CASE("a negative product mix weight is refused") {
  std::string two = with("route: [m1, m2]\n", "route: [m1, m2]\n  - name: B\n    route: [m1]\n");
  CHECK(ok(with("product: A", "mix: {A: 0.7, B: 0.3}", two)).line.sources[0].mix.size() == 2);
  auto e = err(with("product: A", "mix: {A: 0.7, B: -0.3}", two));
  CHECK(has(e.message(), "t.yaml:10:"));
  CHECK(has(e.message(), "sources.arrivals.mix.B"));
  CHECK(has(e.message(), "'-0.3'"));
  auto unknown = err(with("product: A", "mix: {A: 0.7, C: 0.3}", two));
  CHECK(has(unknown.message(), "unknown product 'C'"));
}

TEST_CASE("source rules: product or mix, interarrival or saturated") {
  auto both = err(with("product: A", "product: A\n    mix: {A: 1}"));
  CHECK(has(both.message(), "not both"));
  auto none = err(with("    interarrival: {dist: exponential, mean: 2}\n", ""));
  CHECK(has(none.message(), "sources.arrivals.interarrival"));
  auto sat_and_ia = err(with("product: A", "product: A\n    saturated: true"));
  CHECK(has(sat_and_ia.message(), "not both"));
  std::string two = with("route: [m1, m2]\n", "route: [m1, m2]\n  - name: B\n    route: [m2]\n");
  auto sat_mix = err(with("product: A\n    interarrival: {dist: exponential, mean: 2}",
                          "mix: {A: 1, B: 1}\n    saturated: true", two));
  CHECK(has(sat_mix.message(), "same station"));
  CHECK(has(sat_mix.message(), "sources.arrivals.mix"));
}

TEST_CASE("per-product process times must cover every product that visits the station") {
  std::string two = with("route: [m1, m2]\n", "route: [m1, m2]\n  - name: B\n    route: [m2]\n");
  auto s = ok(with("process: 1.5", "process: {A: 1, B: {dist: exponential, mean: 2}}", two));
  CHECK(s.line.stations[1].process[1].kind == sim::DistKind::kExponential);
  auto e = err(with("process: 1.5", "process: {A: 1}", two));
  CHECK(has(e.message(), "product 'B'"));
  CHECK(has(e.message(), "stations.m2.process.B"));
  auto typo = err(with("process: 1.5", "process: {A: 1, Bx: 2}", two));
  CHECK(has(typo.message(), "unknown product 'Bx'"));
  auto forgot_dist = err(with("process: 1.5", "process: {mean: 2}"));
  CHECK(has(forgot_dist.message(), "missing key 'dist'"));
}

TEST_CASE("a transport between stations no route links is refused") {
  auto e = err(with("{from: m1, to: m2,", "{from: m2, to: m1,"));
  CHECK(has(e.message(), "t.yaml:17:"));
  CHECK(has(e.message(), "no product route goes from m2 to m1"));
  auto self = err(with("{from: m1, to: m2,", "{from: m1, to: m1,"));
  CHECK(has(self.message(), "transports.m1>m1"));
  auto twice = err(kBase + "  - {from: m1, to: m2, time: 1}\n");
  CHECK(has(twice.message(), "given twice"));
}

TEST_CASE("names may not hold the characters of a path") {
  auto e = err(with("name: m2", "name: m.2"));
  CHECK(has(e.message(), "t.yaml:14:"));
  CHECK(has(e.message(), "'m.2'"));
}

TEST_CASE("invalid YAML syntax is refused with its position") {
  auto e = err(with("route: [m1, m2]", "route: [m1, m2"));
  CHECK(has(e.message(), "t.yaml:5:12:"));  // the '[' never closed, not where the parser gave up
  CHECK(has(e.message(), "invalid YAML"));
  CHECK(has(e.message(), "closing ']'"));
  auto colon = err(with("machines: 1", "machines: 1: 2"));
  CHECK(has(colon.message(), "t.yaml:12:"));
  auto tab = err("name: x\n\tproducts: []\n");
  CHECK(has(tab.message(), "t.yaml:2:"));
}

TEST_CASE("an empty file, a comment-only file and a list at the top are refused") {
  CHECK(has(err("").message(), "empty"));
  CHECK(has(err("# nothing here\n").message(), "empty"));
  CHECK(has(err("- a\n- b\n").message(), "got a list"));
  CHECK(has(err(kBase + "---\nname: second\n").message(), "one YAML document"));
  auto missing = err(with("transports:\n  - {from: m1, to: m2, time: 0.5, capacity: 4}\n", "").substr(
      kBase.find("products:")));
  CHECK(has(missing.message(), "missing key 'name'"));
}

TEST_CASE("an alias bomb is refused instead of expanded") {
  std::string bomb = "name: x\nlayout:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'q'; ++c) {
    bomb += "  " + std::string(1, c) + ": &" + std::string(1, c) + " [";
    for (int i = 0; i < 9; ++i) bomb += (i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = std::string(1, c);
  }
  auto e = err(bomb);
  CHECK(has(e.message(), "alias"));
}

TEST_CASE("an alias bomb of long strings is refused by the size of its text (found by fuzzing)") {
  // Nine aliases of a 100 kB string, nine of those and nine again: 73 MB of text from a 100 kB
  // file, in a few hundred nodes, far under the node budget. Each level of 9 more would take 9
  // times the memory; this one is refused at line 5, where the text passes 64 MiB.
  std::string bomb = "name: x\ns: &s " + std::string(100000, 'x') + "\n";  // 2
  bomb += "a: &a [*s, *s, *s, *s, *s, *s, *s, *s, *s]\n";                     // 3
  bomb += "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n";                     // 4
  bomb += "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n";                     // 5
  bomb += "products: *c\n";
  auto e = err(bomb);
  CHECK(has(e.message(), "MiB of text"));
  CHECK(e.line == 5);
}

TEST_CASE("deep nesting is refused") {
  std::string deep = "name: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  CHECK(has(err(deep).message(), "nesting too deep"));
  std::string maps = "name: x\nlayout: ";
  for (int i = 0; i < 5000; ++i) maps += "{a: ";
  maps += "1" + std::string(5000, '}') + "\n";
  CHECK(has(err(maps).message(), "nesting too deep"));
}

TEST_CASE("a missing file, a directory and an oversized text are refused") {
  auto r = load_scenario(kDir + "no_such_scenario.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(has(r.error().message(), "no_such_scenario.yaml"));
  CHECK(has(r.error().message(), "cannot read file"));
  auto dir = load_scenario(kDir);
  REQUIRE_FALSE(dir.ok());
  CHECK(has(dir.error().message(), "cannot read file"));
  auto big = parse_scenario(kBase + "# " + std::string(kMaxScenarioBytes, 'x') + "\n", "big.yaml");
  REQUIRE_FALSE(big.ok());
  CHECK(has(big.error().message(), "16 MiB"));
}

TEST_CASE("--set overrides values, adds keys and reaches list items by name") {
  auto s = ok(kBase, set("stations.m1.machines=3"));
  CHECK(s.line.stations[0].machines == 3);
  s = ok(kBase, set("stations.m2.failures={ttf: {dist: exponential, mean: 100}, ttr: 5}"));
  CHECK(s.line.stations[1].has_failures);
  CHECK(s.line.stations[1].failures.ttr.value == 5);
  s = ok(kBase, set("transports.m1>m2.capacity=inf"));
  CHECK(s.line.transports[0].capacity == sim::kUnlimited);
  s = ok(kBase, set("sources.arrivals.interarrival.mean=90s"));
  CHECK(s.line.sources[0].interarrival.exponential.mean == doctest::Approx(1.5));
  s = ok(kBase, set("horizon=500"));
  CHECK(s.run.horizon == 500);
  s = ok(kBase, set("transports="));  // an empty value removes an optional key
  CHECK(s.line.transports.empty());
  auto o = parse_override("name=a=b");
  REQUIRE(o.ok());
  CHECK(o->path == "name");
  CHECK(o->value == "a=b");
}

TEST_CASE("--set changes one place even when the file shares a node through an alias") {
  std::string shared = with("process: {dist: exponential, mean: 1}", "process: &p {dist: exponential, mean: 1}");
  shared = with("process: 1.5", "process: *p", shared);
  auto s = ok(shared, set("stations.m1.process.mean=4"));
  CHECK(s.line.stations[0].process[0].exponential.mean == 4);
  CHECK(s.line.stations[1].process[0].exponential.mean == 1);
}

TEST_CASE("bad --set flags are refused naming --set and the path") {
  auto missing_eq = parse_override("stations.m1.machines");
  REQUIRE_FALSE(missing_eq.ok());
  CHECK(missing_eq.error().file == "--set");
  CHECK(has(missing_eq.error().message(), "PATH=VALUE"));
  auto empty_path = parse_override("=3");
  REQUIRE_FALSE(empty_path.ok());
  CHECK(has(empty_path.error().message(), "--set"));

  auto unknown = err(kBase, set("stations.m9.machines=2"));
  CHECK(unknown.file == "--set");
  CHECK(has(unknown.message(), "stations.m9.machines"));
  CHECK(has(unknown.message(), "no station named 'm9'; stations are: m1, m2"));
  auto deep = err(kBase, set("stations.m1.nothing.here=2"));
  CHECK(has(deep.message(), "no key 'nothing'"));

  auto bad_value = err(kBase, set("stations.m1.machines=abc"));
  CHECK(bad_value.file == "--set");
  CHECK(bad_value.line == 0);
  CHECK(has(bad_value.message(), "--set stations.m1.machines=abc"));
  CHECK(has(bad_value.message(), "expected an integer"));
  auto bad_yaml = err(kBase, set("stations.m1.process=[1"));
  CHECK(has(bad_yaml.message(), "--set"));
  CHECK(has(bad_yaml.message(), "not valid YAML"));
  auto bad_dist = err(kBase, set("stations.m1.process={dist: normal, mean: 2}"));
  CHECK(has(bad_dist.message(), "--set stations.m1.process={dist: normal, mean: 2}"));
  CHECK(has(bad_dist.message(), "stations.m1.process.sd"));
  auto bad_key = err(kBase, set("stations.m1.machinez=2"));
  CHECK(has(bad_key.message(), "--set"));
  CHECK(has(bad_key.message(), "did you mean 'machines'"));
}

TEST_CASE("factors record the scenario's value and the objective prices factors only") {
  std::string text = kBase +
                     "factors:\n"
                     "  - {path: stations.m1.machines, range: [1, 4], integer: true}\n"
                     "  - {path: sources.arrivals.interarrival.mean, range: [1, 3]}\n"
                     "  - {path: transports.m1>m2.capacity, range: [1, 10], integer: true}\n"
                     "objective:\n"
                     "  minimize: lead_time\n"
                     "  cost: {stations.m1.machines: 0.5}\n";
  auto s = ok(text);
  REQUIRE(s.factors.size() == 3);
  CHECK(s.factors[0].base == 1);
  CHECK(s.factors[0].integer);
  CHECK(s.factors[1].base == 2);
  CHECK(s.factors[2].base == 4);
  REQUIRE(s.objective.has_value());
  CHECK_FALSE(s.objective->maximize);
  CHECK(s.objective->cost.size() == 1);
  s = ok(text, set("factors.stations.m1.machines.range=[1, 8]"));
  CHECK(s.factors[0].hi == 8);
  s = ok(text, {factor_override("stations.m1.machines", 3)});
  CHECK(s.factors[0].base == 3);

  auto bad_path = err(with("stations.m1.machines, range", "stations.m9.machines, range", text));
  CHECK(has(bad_path.message(), "t.yaml:19:"));
  CHECK(has(bad_path.message(), "no station named 'm9'"));
  auto not_number = err(with("sources.arrivals.interarrival.mean,", "sources.arrivals.interarrival,", text));
  CHECK(has(not_number.message(), "a number"));
  auto bad_range = err(with("range: [1, 4]", "range: [4, 1]", text));
  CHECK(has(bad_range.message(), "lo < hi"));
  auto bad_cost = err(with("{stations.m1.machines: 0.5}", "{stations.m2.machines: 0.5}", text));
  CHECK(has(bad_cost.message(), "objective.cost.stations.m2.machines"));
  auto bad_kpi = err(with("minimize: lead_time", "minimize: speed", text));
  CHECK(has(bad_kpi.message(), "throughput, lead_time, wip, lost"));
}

TEST_CASE("factor_override writes integers plainly and other numbers exactly") {
  CHECK(factor_override("stations.m1.machines", 3).value == "3");
  CHECK(factor_override("x", 0.1).value == "0.1");
  CHECK(factor_override("x", 1.0 / 3).value == "0.3333333333333333");
}

TEST_CASE("layout, orders and description are accepted") {
  auto s = ok(kBase + "description: A test\nlayout: {m1: [0, 0], m2: [5, 0]}\n"
                      "orders: [{name: o1, product: A, quantity: 3, release: 2h, due: 300, weight: 2}, {name: o2, product: A}]\n");
  CHECK(s.line.name == "Test line");
  REQUIRE(s.orders.size() == 2);
  CHECK(s.orders[0].quantity == 3);
  CHECK(s.orders[0].release == 120);  // 2h in minutes
  CHECK(s.orders[0].due == 300);
  CHECK(s.orders[0].weight == 2);
  CHECK(s.orders[1].quantity == 1);   // the defaults
  CHECK(s.orders[1].release == 0);
  CHECK(s.orders[1].due == sim::kInf);
  CHECK(s.orders[1].weight == 1);
  CHECK(has(err(kBase + "layout: [1, 2]\n").message(), "layout"));
  CHECK(has(err(kBase + "orders: [{id: 1}]\n").message(), "unknown key 'id'"));
  CHECK(has(err(kBase + "orders: {o1: A}\n").message(), "a list of orders"));
  CHECK(has(err(kBase + "orders: [{name: o1, product: A, weight: -1}]\n").message(), "orders.o1.weight"));
  auto changed = ok(kBase + "orders: [{name: o1, product: A}]\n", {{"orders.o1.quantity", "7"}});
  CHECK(changed.orders[0].quantity == 7);  // --set reaches orders by name
}

TEST_CASE("scrap and rework are read, reached by --set, and refused when they cannot finish") {
  auto s = ok(with("    process: 1.5\n", "    process: 1.5\n    scrap: 0.02\n    rework: {fraction: 0.05, to: m1}\n"));
  CHECK(s.line.stations[1].scrap == 0.02);
  CHECK(s.line.stations[1].rework == 0.05);
  CHECK(sim::idx(s.line.stations[1].rework_to) == 0);
  CHECK(!s.line.stations[0].has_quality());
  s = ok(kBase, set("stations.m1.scrap=0.1"));
  CHECK(s.line.stations[0].scrap == 0.1);
  s = ok(with("    process: 1.5\n", "    process: 1.5\n    rework: {fraction: 0.05, to: m2}\n"),
         set("stations.m2.rework.fraction=0.3"));
  CHECK(s.line.stations[1].rework == 0.3);

  auto scrap = err(with("    machines: 1\n", "    machines: 1\n    scrap: 1.5\n"));
  CHECK(has(scrap.message(), "t.yaml:13:"));
  CHECK(has(scrap.message(), "stations.m1.scrap"));
  CHECK(has(scrap.message(), "from 0 to 1"));
  CHECK(has(err(kBase, set("stations.m1.scrap=-0.1")).message(), "stations.m1.scrap"));
  // A rework loop of fraction 1 never lets an item go.
  auto loop = err(with("    process: 1.5\n", "    process: 1.5\n    rework: {fraction: 1, to: m1}\n"));
  CHECK(has(loop.message(), "t.yaml:16:"));
  CHECK(has(loop.message(), "stations.m2.rework.fraction"));
  CHECK(has(loop.message(), "for ever"));
  auto both = err(with("    process: 1.5\n", "    process: 1.5\n    scrap: 0.6\n    rework: {fraction: 0.5, to: m1}\n"));
  CHECK(has(both.message(), "stations.m2.rework.fraction"));
  CHECK(has(both.message(), "at most 1"));
  auto unknown = err(with("    process: 1.5\n", "    process: 1.5\n    rework: {fraction: 0.1, to: m9}\n"));
  CHECK(has(unknown.message(), "stations.m2.rework.to"));
  CHECK(has(unknown.message(), "unknown station 'm9'"));
  // Back means back: m1 cannot send items forward to m2 as rework.
  auto forward = err(with("    machines: 1\n", "    machines: 1\n    rework: {fraction: 0.1, to: m2}\n"));
  CHECK(has(forward.message(), "stations.m1.rework.to"));
  CHECK(has(forward.message(), "at or before 'm1'"));
  auto missing = err(with("    process: 1.5\n", "    process: 1.5\n    rework: {to: m1}\n"));
  CHECK(has(missing.message(), "stations.m2.rework"));
  CHECK(has(missing.message(), "fraction"));
  auto key = err(with("    process: 1.5\n", "    process: 1.5\n    rework: {fraction: 0.1, to: m1, via: m2}\n"));
  CHECK(has(key.message(), "via"));
}

TEST_CASE("maintenance and worker counts are read, reached by --set and factors, and refused when wrong") {
  const std::string crew = "workers:\n  - {name: technicians, count: 1}\n";
  const std::string text = with("    process: 1.5\n", "    process: 1.5\n    maintenance: {every: 2h, duration: 15min, by: technicians}\n",
                                crew + kBase);
  auto s = ok(text);
  REQUIRE(s.line.stations[1].has_maintenance());
  CHECK(s.line.stations[1].maintenance.every == 120);
  CHECK(s.line.stations[1].maintenance.duration.kind == sim::DistKind::kConstant);
  CHECK(s.line.stations[1].maintenance.duration.value == 15);
  CHECK(s.line.stations[1].maintenance.by == 0);
  CHECK_FALSE(s.line.stations[0].has_maintenance());
  CHECK(s.line.has_maintenance());
  s = ok(text, set("stations.m2.maintenance.every=3d"));
  CHECK(s.line.stations[1].maintenance.every == 3 * 24 * 60);
  s = ok(text, set("workers.technicians.count=3"));
  CHECK(s.line.workers[0].count == 3);
  s = ok(text + "factors:\n  - {path: stations.m2.maintenance.every, range: [30, 600]}\n"
                "  - {path: workers.technicians.count, range: [1, 4], integer: true}\n");
  REQUIRE(s.factors.size() == 2);
  CHECK(s.factors[0].base == 120);
  CHECK(s.factors[1].base == 1);
  s = ok(text + "factors:\n  - {path: stations.m2.maintenance.every, range: [30, 600]}\n",
         {factor_override("stations.m2.maintenance.every", 45)});
  CHECK(s.line.stations[1].maintenance.every == 45);

  auto zero = err(text, set("stations.m2.maintenance.every=0"));
  CHECK(has(zero.message(), "stations.m2.maintenance.every"));
  CHECK(has(zero.message(), "> 0"));
  auto by = err(with("by: technicians", "by: fitters", text));
  CHECK(has(by.message(), "stations.m2.maintenance.by"));
  CHECK(has(by.message(), "unknown worker pool 'fitters'"));
  auto no_duration = err(with(", duration: 15min", "", text));
  CHECK(has(no_duration.message(), "stations.m2.maintenance"));
  CHECK(has(no_duration.message(), "duration"));
  auto negative = err(text, set("stations.m2.maintenance.duration=-5"));
  CHECK(has(negative.message(), "stations.m2.maintenance.duration"));
}
