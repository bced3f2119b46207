// The mirror against the simulator: a trace of a run, read back event by event, must leave the
// mirror exactly where the run's own state is (the run is the reference no one here chose).
// Also the trace file format, JSON decoding of payloads and the look-ahead, all without MQTT.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "scenarios/scenario.hpp"
#include "sim/line.hpp"
#include "tests/twin/live_test_util.hpp"
#include "twin/live/forecast.hpp"
#include "twin/live/mirror.hpp"
#include "twin/live/trace.hpp"

using namespace linetwin;

namespace {

scenarios::Scenario load(const std::string& rel) {
  auto sc = scenarios::load_scenario(std::string(LINETWIN_SOURCE_DIR) + "/" + rel);
  if (!sc) FAIL(sc.error().message());
  return *sc;
}

/// Runs replication 0 up to `until`, writing its trace to `path`; returns the run's state then.
sim::LineState record(const scenarios::Scenario& sc, double until, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  live::TraceHeader h;
  h.scenario = sc.line.name;
  h.time_unit = linetwin::unit_name(sc.line.time_unit);
  live::TraceWriter w(out, sc.line, h);
  sim::LineSim sim(sc.line, sc.run, 0);
  sim.add_observer(&w);
  sim.run_until(until);
  return sim.state();
}

/// Where the mirror and the run differ, in words; empty when they agree item by item.
std::string compare(const sim::LineState& run, const sim::LineState& mirror, bool statuses_only_by_item) {
  std::ostringstream why;
  for (size_t s = 0; s < run.stations.size(); ++s) {
    const auto &a = run.stations[s], &b = mirror.stations[s];
    std::vector<uint64_t> qa, qb;
    for (const auto& it : a.queue) qa.push_back(it.id);
    for (const auto& it : b.queue) qb.push_back(it.id);
    if (qa != qb) why << "station " << s << ": buffers differ (" << qa.size() << " vs " << qb.size() << "); ";
    for (size_t i = 0; i < a.machines.size(); ++i) {
      const auto &x = a.machines[i], &y = b.machines[i];
      const bool same_status = x.status == y.status ||
                               (statuses_only_by_item && sim::holds_item(x) && sim::holds_item(y));
      if (!same_status) why << "station " << s << " machine " << i << ": status " << int(x.status) << " vs " << int(y.status) << "; ";
      if (sim::holds_item(x) && sim::holds_item(y) && x.item.id != y.item.id)
        why << "station " << s << " machine " << i << ": item " << x.item.id << " vs " << y.item.id << "; ";
      // On a line with setups the run says what each machine is set up for; so must the mirror.
      if (x.last_product != sim::kNoLastProduct && x.last_product != y.last_product)
        why << "station " << s << " machine " << i << ": set up for product " << x.last_product << " vs "
            << y.last_product << "; ";
    }
  }
  std::vector<uint64_t> ta, tb;
  for (const auto& t : run.transit) ta.push_back(t.item.id);
  for (const auto& t : mirror.transit) tb.push_back(t.item.id);
  std::sort(ta.begin(), ta.end());
  std::sort(tb.begin(), tb.end());
  if (ta != tb) why << "transit differs (" << ta.size() << " vs " << tb.size() << "); ";
  if (run.finished != mirror.finished) why << "finished " << run.finished << " vs " << mirror.finished << "; ";
  if (run.lost != mirror.lost) why << "lost " << run.lost << " vs " << mirror.lost << "; ";
  return why.str();
}

}  // namespace

TEST_CASE("A trace read back through the mirror leaves it in the state of the run that recorded it") {
  test::TempDir dir;
  for (const char* file : {"scenarios/bottling_line.yaml", "scenarios/machining_orders.yaml", "scenarios/assembly_line.yaml",
                           "tests/sim/scenarios/transport_line.yaml", "tests/twin/scenarios/small_line.yaml",
                           "tests/sim/scenarios/mm1k.yaml", "tests/sim/scenarios/scrap_tandem.yaml",
                           "tests/sim/scenarios/feedback_tandem.yaml", "tests/twin/scenarios/quality_line.yaml",
                           "tests/twin/scenarios/changeover_line.yaml", "tests/twin/scenarios/crew_line.yaml",
                           "tests/twin/scenarios/maintained_line.yaml", "tests/sim/scenarios/assembly_random.yaml",
                           "tests/sim/scenarios/calendar_line.yaml"}) {
    CAPTURE(file);
    const auto sc = load(file);
    for (double frac : {0.013, 0.5}) {
      const double until = frac * (sc.run.warmup + std::min(sc.run.horizon, 20000.0));
      CAPTURE(until);
      const std::string path = dir.file("run.trace");
      const sim::LineState truth = record(sc, until, path);
      auto reader = live::TraceReader::open(path);
      REQUIRE(reader.ok());
      CHECK((*reader)->header().scenario == sc.line.name);
      live::Mirror mirror(sc.line, false, true);
      live::PlantEvent e;
      uint64_t odd = 0, n = 0;
      for (;;) {
        auto more = (*reader)->next(e);
        REQUIRE(more.ok());
        if (!*more) break;
        ++n;
        std::string why;
        const auto fit = mirror.apply(e, &why);
        if (fit != live::Fit::kApplied) {
          if (odd++ < 3) MESSAGE("event " << n << " did not fit: " << why);
        }
      }
      CHECK(odd == 0);
      CHECK(n > 0);
      const sim::LineState m = mirror.line_state();
      CHECK(sim::check_state(sc.line, m) == "");
      CHECK(compare(truth, m, false) == "");
      // A source's lot goes on where the plant's stands (the bottling line's lots of 2400).
      REQUIRE(m.lots.size() == truth.lots.size());
      for (size_t i = 0; i < m.lots.size(); ++i) {
        CAPTURE(i);
        CHECK(m.lots[i].left == truth.lots[i].left);
        if (truth.lots[i].left > 0) CHECK(m.lots[i].product == truth.lots[i].product);
      }
    }
  }
}

TEST_CASE("The contract's five kinds alone suffice on a line without transports") {
  // Without 'leave' events a finished item stays on its machine until it arrives downstream,
  // which on a line without transports happens at the same instant.
  test::TempDir dir;
  const auto sc = load("tests/sim/scenarios/two_machine.yaml");
  const sim::LineState truth = record(sc, 3000.5, dir.file("t"));
  auto reader = live::TraceReader::open(dir.file("t"));
  REQUIRE(reader.ok());
  live::Mirror mirror(sc.line, false, true);
  live::PlantEvent e;
  uint64_t odd = 0;
  while (*(*reader)->next(e))
    if (e.kind != live::PlantEventKind::kLeave) odd += mirror.apply(e) != live::Fit::kApplied;
  CHECK(odd == 0);
  CHECK(compare(truth, mirror.line_state(), false) == "");
}

TEST_CASE("Trace files: a bad line is refused with its line number") {
  test::TempDir dir;
  auto write = [&](const std::string& text) {
    std::ofstream(dir.file("bad.trace")) << text;
    return live::TraceReader::open(dir.file("bad.trace"));
  };
  const std::string head = "{\"linetwin_trace\": 1, \"scenario\": \"x\", \"time_unit\": \"min\"}\n";
  CHECK(!write("").ok());
  CHECK(write("hello\n").error().message().find("header") != std::string::npos);
  CHECK(write("{\"linetwin_trace\": 2}\n").error().message().find("version 1") != std::string::npos);
  auto next_error = [&](const std::string& body) {
    auto r = write(head + body);
    REQUIRE(r.ok());
    live::PlantEvent e;
    for (;;) {
      auto more = (*r)->next(e);
      if (!more) return more.error().message();
      if (!*more) return std::string("no error");
    }
  };
  CHECK(next_error("{\"t\": 1, \"station\": \"m1\", \"event\": \"arrive\", \"item\": \"1\"}\n{\"t\": 2, \"station\": \"m1\"}\n")
            .find("bad.trace:3:") != std::string::npos);
  CHECK(next_error("\n{\"t\": 1, \"station\": \"m1\", \"event\": \"explode\", \"item\": \"1\"}\n").find(":3:") != std::string::npos);
  CHECK(next_error("{\"t\": 5, \"station\": \"m1\", \"event\": \"arrive\", \"item\": \"1\"}\n"
                   "{\"t\": 4, \"station\": \"m1\", \"event\": \"arrive\", \"item\": \"2\"}\n")
            .find("time goes back") != std::string::npos);
  CHECK(next_error("{\"t\": 1, \"station\": \"m1\", \"event\": \"start\", \"item\": \"1\"}\n").find("machine") != std::string::npos);
  CHECK(next_error("{\"t\": 1, \"station\": \"m1\", \"machine\": 0, \"event\": \"fail\"}\n") == "no error");
}

TEST_CASE("Payloads: what is read and what is malformed or unknown") {
  using live::DecodeStatus;
  auto status = [](const char* p) { return live::decode_event("m1", p).status; };
  CHECK(status(R"({"t": 1.5, "machine": 0, "event": "start", "item": "17", "product": "A"})") == DecodeStatus::kOk);
  CHECK(status(R"({"t": 1.5, "machine": 0, "event": "start", "item": 17})") == DecodeStatus::kOk);
  CHECK(status(R"({"t": 1.5, "event": "arrive", "item": "17", "extra": [1, {"a": null}]})") == DecodeStatus::kOk);
  CHECK(status(R"({"t": 1.5, "machine": 0, "event": "melt", "item": "17"})") == DecodeStatus::kUnknown);
  for (const char* bad : {"", "null", "[]", "{", "{\"t\": 1", "garbage", "{\"t\": \"1\", \"event\": \"arrive\", \"item\": \"1\"}",
                          "{\"t\": -1, \"event\": \"arrive\", \"item\": \"1\"}", "{\"t\": 1e999, \"event\": \"arrive\", \"item\": \"1\"}",
                          "{\"t\": 1, \"event\": \"arrive\"}", "{\"t\": 1, \"event\": \"start\", \"item\": \"1\"}",
                          "{\"t\": 1, \"machine\": 0.5, \"event\": \"start\", \"item\": \"1\"}",
                          "{\"t\": 1, \"machine\": -1, \"event\": \"start\", \"item\": \"1\"}",
                          "{\"t\": 1, \"event\": \"arrive\", \"item\": \"1\", \"product\": 3}",
                          "{\"t\": 1, \"event\": \"arrive\", \"item\": \"1\"} trailing", "{\"t\": 01, \"event\": \"arrive\", \"item\": \"1\"}",
                          "{\"a\": \"\\ud800\"}", "\xff\xfe\x00"}) {
    CAPTURE(bad);
    CHECK(status(bad) == DecodeStatus::kMalformed);
  }
  std::string deep(100000, '[');
  CHECK(status(deep.c_str()) == DecodeStatus::kMalformed);
  // Random bytes and every prefix of a valid payload: read or refused, never a crash.
  const std::string good = R"({"t": 12.25, "machine": 1, "event": "finish", "item": "ab\u00e9", "product": "A"})";
  for (size_t k = 0; k < good.size(); ++k) (void)live::decode_event("m1", good.substr(0, k));
  sim::Rng rng(5);
  for (int i = 0; i < 20000; ++i) {
    std::string s = good;
    for (int j = 0; j < 3; ++j) s[rng.next() % s.size()] = static_cast<char>(rng.next() & 0xff);
    (void)live::decode_event("m1", s);
  }
  // A payload encoded by the replayer reads back to the same event.
  live::PlantEvent e{12.25, "m1", 1, live::PlantEventKind::kFinish, "ab\"c", "A"};
  const auto d = live::decode_event("m1", live::encode_payload(e));
  REQUIRE(d.status == DecodeStatus::kOk);
  CHECK(d.event.t == 12.25);
  CHECK(d.event.item == "ab\"c");
  CHECK(d.event.machine == 1);
}

TEST_CASE("The mirror counts what does not fit and keeps going") {
  const auto sc = load("tests/twin/scenarios/small_line.yaml");
  live::Mirror m(sc.line);
  using K = live::PlantEventKind;
  auto ev = [](double t, const char* st, int mach, K k, const char* item, const char* product = "A") {
    return live::PlantEvent{t * 60, st, mach, k, item, product};
  };
  CHECK(m.apply(ev(1, "saw", -1, K::kArrive, "1")) == live::Fit::kApplied);
  CHECK(m.apply(ev(1, "saw", 0, K::kStart, "1")) == live::Fit::kApplied);
  CHECK(m.apply(ev(1, "lathe", 0, K::kStart, "1")) == live::Fit::kUnknown);
  CHECK(m.apply(ev(1, "saw", 7, K::kStart, "1")) == live::Fit::kUnknown);
  CHECK(m.apply(ev(1, "saw", -1, K::kArrive, "9", "Z")) == live::Fit::kUnknown);
  CHECK(m.apply(ev(1, "mill", -1, K::kArrive, "9", "B")) == live::Fit::kUnknown);  // B never visits the mill
  CHECK(m.apply(ev(0.5, "saw", -1, K::kArrive, "2")) == live::Fit::kOutOfOrder);  // earlier than the clock
  CHECK(m.apply(ev(2, "saw", 0, K::kFinish, "2")) == live::Fit::kOutOfOrder);     // item 2 was never started
  CHECK(m.apply(ev(2, "saw", 0, K::kRepair, "")) == live::Fit::kOutOfOrder);      // repaired while up
  CHECK(m.now() == 120);
  // The state stays one the simulator can start from.
  CHECK(sim::check_state(sc.line, m.line_state()) == "");
}

TEST_CASE("Deviations: a station slower than its scenario is flagged and one as fast is not") {
  const auto sc = load("tests/twin/scenarios/small_line.yaml");
  auto slow = sc;
  slow.line.stations[0].process = {sim::exponential(0.9), sim::exponential(0.9)};  // the saw: 0.6 in the model
  test::TempDir dir;
  const auto path = dir.file("slow.trace");
  {
    std::ofstream out(path);
    live::TraceWriter w(out, slow.line, {});
    sim::LineSim run(slow.line, slow.run, 0);
    run.add_observer(&w);
    run.run();
  }
  live::Mirror m(sc.line, false, true);
  auto r = live::TraceReader::open(path);
  REQUIRE(r.ok());
  live::PlantEvent e;
  while (*(*r)->next(e)) m.apply(e);
  bool saw = false, mill = false;
  for (const auto& d : m.deviations()) {
    if (d.station == 0) saw = d.flagged;
    if (d.station == 1 && d.what == "process") mill = d.flagged;
    if (d.station == 0) MESSAGE(d.message(sc.line));
  }
  CHECK(saw);
  CHECK(!mill);
}

TEST_CASE("Look-ahead: a deterministic line gives the exact count and intervals bracket the mean") {
  auto sc = load("tests/sim/scenarios/deterministic.yaml");
  sim::LineState empty;
  empty.stations.resize(sc.line.stations.size());
  for (size_t s = 0; s < empty.stations.size(); ++s) empty.stations[s].machines.resize(sc.line.stations[s].machines);
  const auto f = live::look_ahead(sc.line, empty, {1000, 5, 1});
  // Nothing is random: item n leaves m3 at 1 + 1.5 + 1.2 + 1.5 (n - 1), so 665 by time 1000.
  CHECK(f.finished.sd == 0);
  CHECK(f.finished.mean == doctest::Approx(665));
  CHECK(f.replications == 5);

  const auto small = load("tests/twin/scenarios/small_line.yaml");
  sim::LineSim run(small.line, small.run, 0);
  run.run_until(300);
  const auto g = live::look_ahead(small.line, run.state(), {120, 30, 4});
  CHECK(g.replications == 30);
  CHECK(g.finished.lo() < g.finished.mean);
  CHECK(g.finished.mean < g.finished.hi());
  // Arrivals come at 1 a minute: over 120 min the line finishes about 120 items.
  CHECK(g.finished.mean == doctest::Approx(120).epsilon(0.15));
  for (const auto& b : g.bottleneck_share) CHECK((b.lo <= b.p && b.p <= b.hi && b.lo >= 0 && b.hi <= 1));
  // A line that starts full finishes more in the first minutes than one that starts empty.
  sim::LineState full = run.state();
  for (int k = 0; k < 8; ++k) full.stations[0].queue.push_back(sim::PlacedItem{0, 0, 0, 0});
  const auto h = live::look_ahead(small.line, full, {10, 30, 4});
  const auto h0 = live::look_ahead(small.line, run.state(), {10, 30, 4});
  CHECK(h.finished.mean > h0.finished.mean);
}

TEST_CASE("Wilson intervals") {
  const auto w = live::wilson(8, 10);
  CHECK(w.p == 0.8);
  CHECK(w.lo == doctest::Approx(0.4902).epsilon(1e-3));
  CHECK(w.hi == doctest::Approx(0.9433).epsilon(1e-3));
  CHECK(live::wilson(0, 20).lo == 0);
  CHECK(live::wilson(20, 20).hi == doctest::Approx(1.0));
}
