// A line that locks for good is found and counted (issue 17: two products crossing through
// buffers of one place were reported as a normal run, 99% blocked, Little's law 500x off).
#include <doctest/doctest.h>

#include "sim/deadlock.hpp"
#include "sim/warnings.hpp"
#include "tests/sim/sim_test_util.hpp"

using namespace linetwin;

namespace {

// Two stations with one buffer place each; product 0 goes 0 -> 1, product 1 goes 1 -> 0.
sim::LineDef crossing() {
  sim::LineDef l;
  l.products = {{"A", {sim::StationId{0}, sim::StationId{1}}}, {"B", {sim::StationId{1}, sim::StationId{0}}}};
  for (const char* name : {"m1", "m2"}) {
    sim::StationDef s;
    s.name = name;
    s.buffer = 1;
    s.process = {sim::constant(1), sim::constant(1)};
    l.stations.push_back(s);
  }
  return l;
}

sim::PlacedMachine blocked_with(uint32_t product, uint32_t step) {
  sim::PlacedMachine m;
  m.status = sim::MachineStatus::kBlocked;
  m.item.product = product;
  m.item.step = step;
  return m;
}

}  // namespace

TEST_CASE("locked_stations finds a circle of full, blocked stations and nothing else") {
  const auto line = crossing();
  sim::LineState st;
  st.stations.resize(2);
  st.stations[0].queue = {sim::PlacedItem{1, 1, 1, 0}};  // a B waiting for m1's machine
  st.stations[0].machines = {blocked_with(0, 0)};        // an A done at m1, waiting for m2
  st.stations[1].queue = {sim::PlacedItem{2, 0, 1, 0}};
  st.stations[1].machines = {blocked_with(1, 0)};        // a B done at m2, waiting for m1
  CHECK(sim::locked_stations(line, st) == std::vector<uint32_t>{0, 1});
  // A buffer with a free place lets the circle move.
  auto free_place = st;
  free_place.stations[1].queue.clear();
  CHECK(sim::locked_stations(line, free_place).empty());
  // A machine still working will finish, block, and may be the one that waits: not locked yet.
  auto working = st;
  working.stations[0].machines[0].status = sim::MachineStatus::kBusy;
  CHECK(sim::locked_stations(line, working).empty());
  // An item that leaves the line next never waits.
  auto leaving = st;
  leaving.stations[1].machines[0] = blocked_with(0, 1);
  CHECK(sim::locked_stations(line, leaving).empty());
}

TEST_CASE("a crossing line is reported as locked and warned about, and a tandem line never is") {
  // Apart from tests/sim/scenarios, whose lines the property tests hold to Little's law.
  auto loaded = scenarios::load_scenario(std::string(LINETWIN_SOURCE_DIR) + "/tests/sim/deadlock/crossing.yaml");
  REQUIRE(loaded.ok());
  const auto& sc = *loaded;
  const auto r = sim::run_experiment(sc.line, sc.run);
  CHECK(r.deadlocks > 0);
  CHECK(r.deadlocks <= sc.run.replications);
  for (const auto& rep : r.reps)
    if (!rep.locked.empty()) CHECK(rep.locked == std::vector<uint32_t>{0, 1});
  const auto warnings = sim::line_warnings(sc.line);
  REQUIRE(warnings.size() == 2);  // the idle station, and the circle
  const auto tandem = test::load_test_scenario("tandem.yaml", {{"horizon", "20000"}});
  const auto t = sim::run_experiment(tandem.line, tandem.run);
  CHECK(t.deadlocks == 0);
  CHECK(sim::line_warnings(tandem.line).empty());
}
