// Snapshots and states: a copy of a running LineSim resumes bit-for-bit as if never stopped, and a
// run can start from a line's state (what the twin's look-ahead does).
#include <cmath>
#include <cstring>
#include <map>
#include <optional>

#include "tests/sim/sim_test_util.hpp"

using namespace linetwin;
using linetwin::test::load_test_scenario;

namespace {

/// FNV-1a over every field of every event it sees.
struct HashObserver : sim::Observer {
  uint64_t h = 0xcbf29ce484222325ULL;
  uint64_t events = 0;
  void mix(const void* p, size_t n) {
    for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<const unsigned char*>(p)[i]) * 0x100000001b3ULL;
  }
  void on_event(const sim::LineEvent& e) override {
    ++events;
    mix(&e.t, sizeof e.t);
    const auto kind = static_cast<uint8_t>(e.kind);
    mix(&kind, 1);
    for (uint32_t v : {e.station, e.machine, e.product, e.transport}) mix(&v, sizeof v);
    mix(&e.item, sizeof e.item);
    mix(&e.value, sizeof e.value);
  }
};

uint64_t hash_result(const sim::RepResult& r) {
  HashObserver h;
  for (double v : {r.throughput, r.lead_time, r.wip, r.lost}) h.mix(&v, sizeof v);
  for (const auto& s : r.stations)
    for (double v : {s.utilization, s.blocked, s.starved, s.down, s.queue}) h.mix(&v, sizeof v);
  for (uint64_t v : {r.events, r.created, r.finished, r.lost_total, r.in_line}) h.mix(&v, sizeof v);
  return h.h;
}

const char* const kScenarios[] = {"/scenarios/bottling_line.yaml", "/scenarios/machining_cell.yaml",
                                  "/scenarios/assembly_line.yaml", "/tests/sim/scenarios/transport_line.yaml",
                                  "/tests/sim/scenarios/breakdown.yaml", "/tests/twin/scenarios/changeover_line.yaml",
                                  "/tests/twin/scenarios/crew_line.yaml", "/tests/twin/scenarios/maintained_line.yaml",
                                  "/tests/sim/scenarios/assembly_random.yaml", "/tests/sim/scenarios/calendar_line.yaml",
                                  "/tests/sim/scenarios/batch_line.yaml"};

scenarios::Scenario load(const char* file) {
  auto sc = scenarios::load_scenario(std::string(LINETWIN_SOURCE_DIR) + file);
  if (!sc) FAIL(sc.error().message());
  return *sc;
}

}  // namespace

TEST_CASE("A snapshot restored and run on gives exactly the run that never stopped") {
  for (const char* file : kScenarios) {
    CAPTURE(file);
    auto sc = load(file);
    sc.run.horizon = std::min(sc.run.horizon, 20000.0);
    const double end = sc.run.warmup + sc.run.horizon;
    for (double cut : {0.0, 0.37 * end, 0.81 * end}) {
      CAPTURE(cut);
      HashObserver straight;
      sim::LineSim a(sc.line, sc.run, 3);
      a.add_observer(&straight);
      const auto ra = a.run();

      HashObserver seen, at_cut;
      std::optional<sim::LineSim> saved;
      {
        sim::LineSim b(sc.line, sc.run, 3);
        b.add_observer(&seen);
        b.run_until(cut);
        at_cut = seen;
        saved.emplace(b);  // save
        b.run_until(end);  // the original runs on; the snapshot must not care
      }
      const uint64_t seen_events = seen.events;
      sim::LineSim d(*saved);  // restore, without an observer
      d.run();
      CHECK(seen.events == seen_events);  // the copy did not bring the observer along

      HashObserver resumed = at_cut;
      sim::LineSim c(*saved);  // and again: a snapshot can be restored many times
      c.add_observer(&resumed);
      const auto rc = c.run();
      CHECK(resumed.h == straight.h);
      CHECK(resumed.events == straight.events);
      CHECK(hash_result(rc) == hash_result(ra));
      CHECK(hash_result(d.result()) == hash_result(ra));
    }
  }
}

TEST_CASE("Starting from an empty state is the ordinary run") {
  for (const char* file : kScenarios) {
    CAPTURE(file);
    auto sc = load(file);
    sc.run.horizon = std::min(sc.run.horizon, 20000.0);
    sim::LineSim a(sc.line, sc.run, 1);
    const auto ra = a.run();
    sim::LineState empty;
    empty.stations.resize(sc.line.stations.size());
    for (size_t s = 0; s < empty.stations.size(); ++s) empty.stations[s].machines.resize(sc.line.stations[s].machines);
    REQUIRE(sim::check_state(sc.line, empty).empty());
    sim::LineSim b(sc.line, sc.run, 1);
    b.start_from(empty);
    CHECK(hash_result(b.run()) == hash_result(ra));
  }
}

TEST_CASE("A line's state placed in a new run is the same state and items are conserved") {
  int in_maintenance = 0;
  for (const char* file : kScenarios) {
    CAPTURE(file);
    auto sc = load(file);
    sc.run.warmup = 0;
    sc.run.horizon = 2000;
    sim::LineSim a(sc.line, sc.run, 5);
    a.run_until(1234.5);
    const sim::LineState st = a.state();
    REQUIRE(sim::check_state(sc.line, st) == "");
    size_t items = st.transit.size();
    for (const auto& s : st.stations) {
      items += s.queue.size();
      for (const auto& m : s.machines) items += sim::holds_item(m);
    }
    CHECK(items == a.result().in_line);

    sim::LineSim b(sc.line, sc.run, 9);
    b.start_from(st);
    b.run_until(0);  // blocked machines finish again at 0 and block again
    const sim::LineState again = b.state();
    REQUIRE(again.stations.size() == st.stations.size());
    for (size_t s = 0; s < st.stations.size(); ++s) {
      CAPTURE(sc.line.stations[s].name);
      const auto &x = st.stations[s], &y = again.stations[s];
      REQUIRE(x.queue.size() == y.queue.size());
      for (size_t k = 0; k < x.queue.size(); ++k) {
        CHECK(x.queue[k].product == y.queue[k].product);
        CHECK(x.queue[k].step == y.queue[k].step);
        CHECK(x.queue[k].age == doctest::Approx(y.queue[k].age));
      }
      for (size_t i = 0; i < x.machines.size(); ++i) {
        CHECK(x.machines[i].status == y.machines[i].status);
        CHECK(x.machines[i].last_product == y.machines[i].last_product);
        if (x.machines[i].status == sim::MachineStatus::kSetup) {  // its operation is yet to be drawn
          CHECK(x.machines[i].setup_left == doctest::Approx(y.machines[i].setup_left));
          CHECK(std::isnan(y.machines[i].remaining));
          continue;
        }
        // A machine's age towards its maintenance goes over whole.
        if (sc.line.stations[s].has_maintenance())
          CHECK(x.machines[i].busy_since_repair == doctest::Approx(y.machines[i].busy_since_repair));
        if (x.machines[i].status == sim::MachineStatus::kMaintenance) {
          ++in_maintenance;
          CHECK(x.machines[i].maintain_left == doctest::Approx(y.machines[i].maintain_left));
          CHECK(x.machines[i].holding == y.machines[i].holding);
          continue;
        }
        if (x.machines[i].status == sim::MachineStatus::kIdle) continue;
        CHECK(x.machines[i].item.product == y.machines[i].item.product);
        CHECK(x.machines[i].remaining == doctest::Approx(y.machines[i].remaining));
        if (x.machines[i].status == sim::MachineStatus::kDown)
          CHECK(x.machines[i].repair_left == doctest::Approx(y.machines[i].repair_left));
      }
    }
    REQUIRE(again.transit.size() == st.transit.size());
    for (size_t k = 0; k < st.transit.size(); ++k)
      CHECK(again.transit[k].remaining == doctest::Approx(st.transit[k].remaining));

    // Run on: every item placed or released later is finished, in the line or lost.
    const auto r = b.run();
    CHECK(r.created == r.finished + r.in_line + r.lost_total + r.scrapped + r.consumed_total);
    CHECK(r.created >= items);
  }
  MESSAGE("machines in maintenance in the states placed: " << in_maintenance);
}

TEST_CASE("States that do not fit the line are refused") {
  auto sc = load_test_scenario("transport_line.yaml");
  sim::LineSim a(sc.line, sc.run, 0);
  a.run_until(500);
  sim::LineState st = a.state();
  REQUIRE(sim::check_state(sc.line, st).empty());
  auto bad = st;
  bad.stations.pop_back();
  CHECK(sim::check_state(sc.line, bad).find("stations") != std::string::npos);
  bad = st;
  bad.stations[0].machines.emplace_back();
  CHECK(sim::check_state(sc.line, bad).find("machines") != std::string::npos);
  bad = st;
  bad.stations[1].queue.push_back(sim::PlacedItem{0, 1, 0, 0});  // B's step 0 is m1, not m2
  CHECK(sim::check_state(sc.line, bad).find("not at station 'm2'") != std::string::npos);
  bad = st;
  bad.stations[0].machines[0] = sim::PlacedMachine{sim::MachineStatus::kBusy, {0, 0, 0, 0}, 0, -1.0};
  CHECK(sim::check_state(sc.line, bad).find("negative") != std::string::npos);
  bad = st;
  bad.transit.push_back(sim::PlacedTransit{0, {0, 1, 1, 0}, 1.0});  // B goes m1 -> m3, not by m1>m2
  CHECK(!sim::check_state(sc.line, bad).empty());
}

TEST_CASE("Residual times: what is left given the time spent") {
  sim::Rng rng(3);
  const sim::Dist u = sim::uniform(2.0, 4.0);
  double sum = 0;
  for (int i = 0; i < 20000; ++i) {
    const double r = sim::sample_residual(u, 3.0, rng);
    CHECK((r > 0 && r < 1.0));
    sum += r;
  }
  CHECK(sum / 20000 == doctest::Approx(0.5).epsilon(0.02));  // uniform on (3, 4) minus 3
  CHECK(sim::sample_residual(sim::constant(1.0), 2.0, rng) == 0.0);  // overdue
  CHECK(sim::sample_residual(sim::constant(1.0), 0.25, rng) == 0.75);
}

TEST_CASE("A state that fills a buffer beyond its places runs on, and every item placed finishes once") {
  // States come from outside (the twin reads them off a real line), so a buffer may hold more
  // than its places; the kernel keeps short queues beside their station and must notice when one
  // outgrows that room (8 places) rather than write past it.
  sim::LineDef line;
  line.name = "three stations";
  sim::ProductDef p{"part", {}};
  for (uint32_t i = 0; i < 3; ++i) {
    sim::StationDef s;
    s.name = "m" + std::to_string(i + 1);
    s.buffer = i == 0 ? 0 : 2;
    s.process = {sim::exponential(1.0)};
    line.stations.push_back(s);
    p.route.push_back(sim::StationId{i});
  }
  line.products = {p};
  sim::SourceDef src;
  src.name = "feed";
  src.mix = {{sim::ProductId{0}, 1}};
  src.saturated = true;
  line.sources = {src};
  sim::RunDef run;
  run.warmup = 0;
  run.horizon = 500;

  struct Finished : sim::Observer {
    std::map<uint64_t, int> count;
    void on_event(const sim::LineEvent& e) override {
      if (e.kind == sim::EventKind::kComplete) ++count[e.item];
    }
  };
  for (size_t placed : {3, 7, 8, 9, 20}) {  // over the 2 places; within the room of 8; beyond it
    CAPTURE(placed);
    sim::LineState st;
    st.stations.resize(3);
    for (size_t s = 0; s < 3; ++s) st.stations[s].machines.resize(1);
    for (size_t k = 0; k < placed; ++k) st.stations[1].queue.push_back(sim::PlacedItem{k, 0, 1, 0.0});
    REQUIRE(sim::check_state(line, st).empty());
    sim::LineSim sim(line, run, 3);
    Finished finished;
    sim.add_observer(&finished);
    sim.start_from(st);
    const auto r = sim.run();
    CHECK(r.created == r.finished + r.in_line + r.lost_total + r.scrapped + r.consumed_total);
    // The placed items are the first serial numbers; all of them finish (the line runs 500 min),
    // each once, and no other item finishes twice.
    for (uint64_t serial = 1; serial <= placed; ++serial) CHECK(finished.count[serial] == 1);
    for (const auto& [serial, n] : finished.count) CHECK(n == 1);
    CHECK(finished.count.size() == r.finished);
  }
}

TEST_CASE("Machines in maintenance, empty or holding a finished item, are placed as they were") {
  auto sc = load("/tests/twin/scenarios/maintained_line.yaml");
  sc.run.warmup = 0;
  sc.run.horizon = 50000;
  sim::LineSim a(sc.line, sc.run, 3);
  bool seen_empty = false, seen_holding = false;
  for (double t = 1; t < 50000 && !(seen_empty && seen_holding); t += 0.25) {
    a.run_until(t);
    const sim::LineState st = a.state();
    for (const auto& s : st.stations)
      for (const auto& m : s.machines) {
        if (m.status != sim::MachineStatus::kMaintenance || (m.holding ? seen_holding : seen_empty)) continue;
        (m.holding ? seen_holding : seen_empty) = true;
        REQUIRE(sim::check_state(sc.line, st) == "");
        sim::LineSim b(sc.line, sc.run, 4);
        b.start_from(st);
        b.run_until(0);
        const sim::LineState again = b.state();
        for (size_t k = 0; k < st.stations.size(); ++k)
          for (size_t i = 0; i < st.stations[k].machines.size(); ++i) {
            const auto &x = st.stations[k].machines[i], &y = again.stations[k].machines[i];
            CHECK(x.status == y.status);
            CHECK(x.holding == y.holding);
            CHECK(x.busy_since_repair == doctest::Approx(y.busy_since_repair));
            if (x.status == sim::MachineStatus::kMaintenance && !std::isnan(x.maintain_left))
              CHECK(x.maintain_left == doctest::Approx(y.maintain_left));
            if (sim::holds_item(x)) CHECK(x.item.step == y.item.step);  // ids: the new run numbers its own
          }
        const auto r = b.run();
        CHECK(r.created == r.finished + r.in_line + r.lost_total + r.scrapped + r.consumed_total);
      }
  }
  CHECK(seen_empty);
  CHECK(seen_holding);
}
