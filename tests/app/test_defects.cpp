// The defects found when linetwin was tried as a planner and as a hostile tester (issue 17,
// item 8), one test each, from the outside: each failed on the code before its fix.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "tests/app/cli_test_util.hpp"

using namespace linetwin::test;  // the helpers of cli_test_util.hpp

TEST_CASE("an empty --set value that a factor needs blames the --set, not the factor") {
  // An empty value removes the key; the message named 'factors.stations.filler.buffer.path'.
  const auto empty = run("run scenarios/bottling_line.yaml --set stations.filler.buffer=");
  CHECK(empty.status == 2);
  CHECK(contains(empty.err, "(from --set stations.filler.buffer=)"));
  CHECK_FALSE(contains(empty.err, "factors."));
}

TEST_CASE("compare converts a scenario written in another time unit instead of mixing units") {
  // The same line in minutes and in seconds: with common random numbers the sample paths are the
  // same, so every difference must vanish (before, B ran 1/60 as long and its throughput was per s).
  const auto r = run("compare tests/sim/scenarios/tandem.yaml tests/app/tandem_seconds.yaml --reps 4 --horizon 20000 --json");
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["time_unit"] == "min");
  for (const char* kpi : {"throughput", "lead_time", "wip", "lost"}) {
    CAPTURE(kpi);
    const auto& k = j["kpis"][kpi];
    CHECK(k["b"]["mean"].get<double>() == doctest::Approx(k["a"]["mean"].get<double>()).epsilon(1e-9));
    CHECK(k["difference"]["mean"].get<double>() == 0.0);
    CHECK(k["significant"] == false);
  }
  const auto t = run("compare tests/sim/scenarios/tandem.yaml tests/app/tandem_seconds.yaml --reps 4 --horizon 20000");
  CHECK(contains(t.out, "B is written in s"));
  CHECK_FALSE(contains(t.out, "e-1"));  // no -4.441e-17 for a difference that is zero
}

TEST_CASE("validate warns about idle stations and routes that can lock the line, and counts in words") {
  const auto r = run("validate tests/sim/deadlock/crossing.yaml");
  REQUIRE(r.status == 0);
  CHECK(contains(r.out, "warning: station 'spare' is on no product's route"));
  CHECK(contains(r.out, "warning: items can travel in a circle through stations 'm1' and 'm2'"));
  CHECK(contains(r.out, "2 products, 2 sources, 3 stations, 0 transports, 0 factors"));
  const auto one = run("validate tests/sim/scenarios/mm1.yaml");
  REQUIRE(one.status == 0);
  CHECK(contains(one.out, "1 source,"));
  CHECK_FALSE(contains(one.out, "warning"));
}

TEST_CASE("intervals of figures that cannot be negative or exceed 1 stay within their range") {
  // Few replications of a bursty line: the Student-t interval of the lost rate and of the
  // utilization would reach below 0 or above 1 if it were not cut to the figure's range.
  const auto r = run("run tests/sim/scenarios/mm1k.yaml --reps 2 --horizon 50 --warmup 0 --json");
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  for (const auto& [name, kpi] : j["kpis"].items()) {
    CAPTURE(name);
    if (kpi["ci95"].is_null()) continue;
    CHECK(kpi["ci95"][0].get<double>() >= 0.0);
  }
  for (const auto& [station, figures] : j["stations"].items())
    for (const char* f : {"utilization", "blocked", "starved", "down"}) {
      CAPTURE(f);
      if (figures[f]["ci95"].is_null()) continue;
      CHECK(figures[f]["ci95"][0].get<double>() >= 0.0);
      CHECK(figures[f]["ci95"][1].get<double>() <= 1.0);
    }
}

TEST_CASE("a run that locks for good says so in warnings and deadlocks, on stderr and in --json") {
  // Before: exit 0, 99% blocked, throughput near zero, Little's law 500x off, and not a word.
  const auto r = run("run tests/sim/deadlock/crossing.yaml --json");
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["deadlocks"].get<int>() > 0);
  bool named = false;
  for (const auto& w : j["warnings"]) named = named || contains(w.get<std::string>(), "locked for good (a deadlock) at stations 'm1' and 'm2'");
  CHECK(named);
  CHECK(contains(r.err, "warning:"));
  // A line that runs well has no warnings and no deadlocks.
  const auto ok = run("run tests/sim/scenarios/tandem.yaml --reps 3 --horizon 20000 --json");
  REQUIRE(ok.status == 0);
  const auto k = nlohmann::json::parse(ok.out);
  CHECK(k["deadlocks"] == 0);
  CHECK(k["warnings"].empty());
  CHECK(ok.err.empty());
}
