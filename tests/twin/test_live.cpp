// The live twin against a real broker: a trace replayed through mosquitto leaves the twin's
// mirror where the run that recorded it ended; forecasts carry intervals; garbage is counted and
// survived; a broker restart in the middle of a replay loses no event; signals stop it cleanly.
// Each test starts its own mosquitto on a free loopback port and stops it at the end.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include "scenarios/scenario.hpp"
#include "sim/line.hpp"
#include "tests/twin/live_test_util.hpp"

using namespace linetwin;

namespace {

const std::string kExe = LINETWIN_EXE;
const std::string kScenario = std::string(LINETWIN_SOURCE_DIR) + "/tests/twin/scenarios/small_line.yaml";

std::vector<std::string> twin_args(const test::Broker& b, const std::string& prefix) {
  return {kExe, "twin", kScenario, "--broker", b.address(), "--prefix", prefix, "--publish-every", "0.1",
          "--forecast-every", "0.2", "--lookahead", "60", "--reps", "10", "--json"};
}

/// Records the small line's replication 0 and returns its final state.
sim::LineState record(const test::TempDir& dir, const std::string& trace) {
  test::Process run({kExe, "run", kScenario, "--reps", "1", "--trace", trace}, dir.file("run.out"), dir.file("run.err"));
  REQUIRE(run.wait(60) == 0);
  auto sc = scenarios::load_scenario(kScenario);
  REQUIRE(sc.ok());
  sim::LineSim sim(sc->line, sc->run, 0);
  sim.run();
  return sim.state();
}

uint64_t count_lines(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  uint64_t n = 0;
  while (std::getline(in, line)) ++n;
  return n;
}

const char* status_name(sim::MachineStatus s) {
  switch (s) {
    case sim::MachineStatus::kIdle: return "idle";
    case sim::MachineStatus::kBusy: return "busy";
    case sim::MachineStatus::kBlocked: return "blocked";
    case sim::MachineStatus::kDown: return "down";
    case sim::MachineStatus::kSetup: return "setup";
    case sim::MachineStatus::kMaintenance: return "maintenance";
  }
  return "?";
}

/// The twin's final state (its --json output) against the run's: item by item.
void check_same_state(const test::Json& twin, const sim::LineState& run, const sim::LineDef& line) {
  CHECK(test::number_at(twin, {"finished"}) == double(run.finished));
  CHECK(test::number_at(twin, {"lost"}) == double(run.lost));
  CHECK(test::number_at(twin, {"in_transit"}) == double(run.transit.size()));
  for (size_t s = 0; s < line.stations.size(); ++s) {
    CAPTURE(line.stations[s].name);
    REQUIRE((twin.contains("stations") && twin["stations"].contains(line.stations[s].name)));
    const test::Json& st = twin["stations"][line.stations[s].name];
    REQUIRE((st.contains("buffer") && st["buffer"].is_array()));
    std::vector<std::string> want, got;
    for (const auto& it : run.stations[s].queue) want.push_back(std::to_string(it.id));
    for (const auto& it : st["buffer"]) got.push_back(it.is_string() ? it.get<std::string>() : it.dump());
    CHECK(got == want);
    REQUIRE((st.contains("machines") && st["machines"].is_array()));
    const test::Json& machines = st["machines"];
    REQUIRE(machines.size() == run.stations[s].machines.size());
    for (size_t i = 0; i < machines.size(); ++i) {
      const auto& pm = run.stations[s].machines[i];
      CHECK(test::text_at(machines[i], {"state"}) == status_name(pm.status));
      if (sim::holds_item(pm)) CHECK(test::text_at(machines[i], {"item"}) == std::to_string(pm.item.id));
    }
  }
}

/// Waits for the twin's state to count at least `n` messages as `counter`; returns that state.
// Stops the twin with SIGTERM; it must exit 0 and print a last state equal to the run's.
void stop_with_state(test::Process& twin, const test::TempDir& dir, const sim::LineState& truth) {
  twin.signal(SIGTERM);
  REQUIRE(twin.wait(15) == 0);
  const auto final_state = test::parse_json(test::read_file(dir.file("twin.out")));
  REQUIRE(final_state.is_object());
  auto sc = scenarios::load_scenario(kScenario);
  REQUIRE(sc.ok());
  check_same_state(final_state, truth, sc->line);
}

test::Json wait_count(live::MqttClient& watch, const std::string& prefix, const char* counter, double n) {
  auto st = test::wait_for(watch, prefix + "/twin/state",
                           [&](const test::Json& v) { return test::number_at(v, {"messages", counter}) >= n; }, 30);
  REQUIRE_MESSAGE(st.has_value(), "the twin did not count " << n << " messages as " << counter << " within 30 s");
  return *st;
}

}  // namespace

TEST_CASE("A replayed trace leaves the twin's mirror in the state of the run and forecasts carry intervals") {
  test::TempDir dir;
  test::Broker broker(dir);
  const std::string trace = dir.file("small.trace");
  const sim::LineState truth = record(dir, trace);
  const uint64_t events = count_lines(trace) - 1;
  auto watch = live::MqttClient::connect({"127.0.0.1", broker.port()}, "test-watch-1", {"p1/twin/#"}, 10, "test");
  REQUIRE(watch.ok());

  test::Process twin(twin_args(broker, "p1"), dir.file("twin.out"), dir.file("twin.err"));
  // The twin is listening once it publishes its (empty) state.
  REQUIRE(test::wait_for(**watch, "p1/twin/state", [](const test::Json&) { return true; }, 15));
  test::Process replay({kExe, "replay", trace, "--broker", broker.address(), "--prefix", "p1", "--speed", "max"},
                       dir.file("replay.out"), dir.file("replay.err"));
  REQUIRE_MESSAGE(replay.wait(60) == 0, test::read_file(dir.file("replay.err")));
  const auto state = wait_count(**watch, "p1", "applied", double(events));
  CHECK(test::number_at(state, {"messages", "received"}) == double(events));

  // A forecast made after the replay: every figure with its 95% interval around its mean.
  auto forecast = test::wait_for(**watch, "p1/twin/forecast",
                                 [&](const test::Json& v) { return test::number_at(v, {"finished_so_far"}) == double(truth.finished); }, 20);
  REQUIRE(forecast);
  for (const char* kpi : {"finished", "throughput", "wip", "finished_by_end"}) {
    CAPTURE(kpi);
    REQUIRE(forecast->contains(kpi));
    const test::Json& k = (*forecast)[kpi];
    REQUIRE((k.contains("ci95") && k["ci95"].is_array() && k["ci95"].size() == 2));
    REQUIRE((k["ci95"][0].is_number() && k["ci95"][1].is_number()));
    const double mean = test::number_at(k, {"mean"}), lo = k["ci95"][0].get<double>(), hi = k["ci95"][1].get<double>();
    CHECK(lo <= mean);
    CHECK(mean <= hi);
    CHECK(lo < hi);
  }
  CHECK(test::number_at(*forecast, {"replications"}) == 10);
  REQUIRE(forecast->contains("bottleneck"));
  CHECK(!test::text_at(*forecast, {"bottleneck", "station"}).empty());
  CHECK(test::number_at(*forecast, {"bottleneck", "share", "mean"}) > 0);

  stop_with_state(twin, dir, truth);
  CHECK(test::read_file(dir.file("twin.err")).find("0 malformed, 0 unknown, 0 out of order") != std::string::npos);
}

TEST_CASE("Garbage and unknown and out-of-order messages are counted and survived and SIGINT stops the twin") {
  test::TempDir dir;
  test::Broker broker(dir);
  auto pub = live::MqttClient::connect({"127.0.0.1", broker.port()}, "test-garbage", {"p2/twin/state"}, 10, "test");
  REQUIRE(pub.ok());
  test::Process twin(twin_args(broker, "p2"), dir.file("twin.out"), dir.file("twin.err"));
  REQUIRE(test::wait_for(**pub, "p2/twin/state", [](const test::Json&) { return true; }, 15));

  const std::string saw = "p2/station/saw/event";
  const std::vector<std::string> malformed = {
      "", "not json", "{", "[1, 2, 3]", "{\"t\": \"soon\", \"event\": \"arrive\", \"item\": \"1\"}",
      "{\"event\": \"arrive\", \"item\": \"1\"}", "{\"t\": 1, \"event\": \"start\", \"item\": \"1\"}",
      std::string(200000, '['), std::string("\x00\xff\xfe binary", 11), std::string(100000, 'x')};
  for (const auto& p : malformed) (*pub)->publish(saw, p);
  (*pub)->publish(saw, R"({"t": 1, "event": "teleport", "item": "1", "product": "A"})");         // unknown event
  (*pub)->publish("p2/station/lathe/event", R"({"t": 1, "event": "arrive", "item": "1", "product": "A"})");  // unknown station
  (*pub)->publish(saw, R"({"t": 1, "machine": 5, "event": "start", "item": "1", "product": "A"})");  // no machine 5
  (*pub)->publish(saw, R"({"t": 100, "event": "arrive", "item": "1", "product": "A"})");            // fine
  (*pub)->publish(saw, R"({"t": 100, "event": "arrive", "item": "1", "product": "A"})");            // a redelivery
  (*pub)->publish(saw, R"({"t": 50, "event": "arrive", "item": "2", "product": "B"})");             // earlier than 100
  (*pub)->publish(saw, R"({"t": 101, "machine": 0, "event": "start", "item": "1", "product": "A"})");  // fine
  const double total = double(malformed.size()) + 7;
  const auto state = wait_count(**pub, "p2", "received", total);
  CHECK(test::number_at(state, {"messages", "malformed"}) == double(malformed.size()));
  CHECK(test::number_at(state, {"messages", "unknown"}) == 3);
  CHECK(test::number_at(state, {"messages", "duplicate"}) == 1);
  CHECK(test::number_at(state, {"messages", "out_of_order"}) == 1);
  CHECK(test::number_at(state, {"messages", "applied"}) == 2);
  CHECK(test::number_at(state, {"wip"}) == 2);
  REQUIRE((state.contains("stations") && state["stations"].contains("saw")));
  const test::Json& saw_machines = state["stations"]["saw"]["machines"];
  REQUIRE((saw_machines.is_array() && !saw_machines.empty()));
  CHECK(test::text_at(saw_machines[0], {"state"}) == "busy");

  twin.signal(SIGINT);
  REQUIRE(twin.wait(15) == 0);
  const std::string err = test::read_file(dir.file("twin.err"));
  CHECK(err.find("malformed message #1") != std::string::npos);
  CHECK(err.find("twin: stopped.") != std::string::npos);
}

TEST_CASE("A broker restart in the middle of a replay loses no event") {
  test::TempDir dir;
  test::Broker broker(dir);
  const std::string trace = dir.file("small.trace");
  const sim::LineState truth = record(dir, trace);
  // The trace in two halves: the second is published while the twin is away.
  std::vector<std::string> lines;
  {
    std::ifstream in(trace);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
  }
  const size_t half = lines.size() / 2;
  {
    std::ofstream a(dir.file("first.trace")), b(dir.file("second.trace"));
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i == 0 || i < half) a << lines[i] << "\n";
      if (i == 0 || i >= half) b << lines[i] << "\n";
    }
  }
  const double events = double(lines.size() - 1);

  test::Process twin(twin_args(broker, "p3"), dir.file("twin.out"), dir.file("twin.err"));
  {
    auto watch = live::MqttClient::connect({"127.0.0.1", broker.port()}, "test-watch-3", {"p3/twin/state"}, 10, "test");
    REQUIRE(watch.ok());
    REQUIRE(test::wait_for(**watch, "p3/twin/state", [](const test::Json&) { return true; }, 15));
    test::Process first({kExe, "replay", dir.file("first.trace"), "--broker", broker.address(), "--prefix", "p3", "--speed", "max"},
                        dir.file("r1.out"), dir.file("r1.err"));
    REQUIRE(first.wait(60) == 0);
    wait_count(**watch, "p3", "applied", double(half - 1));
  }
  // The twin is frozen so that the second half is certainly published while it is away.
  twin.signal(SIGSTOP);
  broker.stop();   // the twin loses its broker ...
  broker.start();  // ... which comes back with the twin's session from disk
  {
    test::Process second({kExe, "replay", dir.file("second.trace"), "--broker", broker.address(), "--prefix", "p3",
                          "--speed", "max"}, dir.file("r2.out"), dir.file("r2.err"));
    const auto rc = second.wait(60);
    twin.signal(SIGCONT);
    REQUIRE_MESSAGE(rc == 0, test::read_file(dir.file("r2.err")));
  }
  auto watch = live::MqttClient::connect({"127.0.0.1", broker.port()}, "test-watch-3b", {"p3/twin/state"}, 10, "test");
  REQUIRE(watch.ok());
  const auto state = wait_count(**watch, "p3", "applied", events);
  CHECK(test::number_at(state, {"messages", "out_of_order"}) == 0);
  CHECK(test::number_at(state, {"connections"}) >= 2);

  stop_with_state(twin, dir, truth);
  const std::string err = test::read_file(dir.file("twin.err"));
  CHECK(err.find("lost the broker") != std::string::npos);
  CHECK(err.find("the broker kept the session") != std::string::npos);
}

TEST_CASE("Bad input to twin and replay: exit 2 and one sentence and no hang") {
  test::TempDir dir;
  const int port = test::free_port();  // nothing listens there
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), kExe);
    test::Process p(args, dir.file("o"), dir.file("e"));
    const auto rc = p.wait(20);
    return std::make_pair(rc.value_or(-1), test::read_file(dir.file("e")));
  };
  auto [rc, err] = run({"twin", kScenario, "--broker", "127.0.0.1:" + std::to_string(port), "--connect-timeout", "1"});
  CHECK(rc == 2);
  CHECK(err.find("no MQTT broker answered") != std::string::npos);
  std::tie(rc, err) = run({"twin", kScenario});
  CHECK(rc == 2);
  CHECK(err.find("--broker") != std::string::npos);
  std::tie(rc, err) = run({"twin", kScenario, "--broker", "localhost:99999"});
  CHECK(rc == 2);
  std::tie(rc, err) = run({"twin", kScenario, "--broker", "127.0.0.1:1", "--prefix", "a/#"});
  CHECK(rc == 2);
  CHECK(err.find("--prefix") != std::string::npos);
  std::tie(rc, err) = run({"twin", kScenario, "--broker", "127.0.0.1:1", "--lookahead", "soon"});
  CHECK(rc == 2);
  std::ofstream(dir.file("bad.trace")) << "{\"linetwin_trace\": 1}\n{\"t\": 1, \"station\": \"saw\", \"event\": \"arrive\", \"item\": \"1\"}\n{oops\n";
  std::tie(rc, err) = run({"replay", dir.file("bad.trace"), "--broker", "127.0.0.1:" + std::to_string(port), "--connect-timeout", "1"});
  CHECK(rc == 2);
  CHECK(err.find("bad.trace:3:") != std::string::npos);  // refused before any connection is tried
  std::tie(rc, err) = run({"replay", dir.file("missing.trace"), "--broker", "127.0.0.1:1"});
  CHECK(rc == 2);
  std::tie(rc, err) = run({"replay", dir.file("bad.trace"), "--broker", "127.0.0.1:1", "--speed", "-3"});
  CHECK(rc == 2);
  std::tie(rc, err) = run({"run", kScenario, "--trace", dir.file("no/such/dir/t.trace")});
  CHECK(rc == 2);
  CHECK(!std::filesystem::exists(dir.file("no/such/dir/t.trace")));
}
