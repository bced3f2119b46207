// The live twin's clients as a hostile tester tried them (issue 17, item 8): two twins or replays
// on one broker and prefix must not take each other's MQTT client id, and a clash of ids given by
// hand is named; a broker given as [::1]:PORT is reached over IPv6; SIGINT and SIGTERM stop twin
// and replay while they wait for a broker, and an interrupted replay says so in its exit status;
// a trace reader refuses /dev/zero and over-long lines instead of filling the memory.
#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <set>

#include "tests/twin/live_test_util.hpp"

using namespace linetwin;

namespace {

const std::string kExe = LINETWIN_EXE;
const std::string kScenario = std::string(LINETWIN_SOURCE_DIR) + "/tests/twin/scenarios/small_line.yaml";

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

/// Records the small line's replication 0 as a trace; returns its number of events.
uint64_t record(const test::TempDir& dir, const std::string& trace) {
  test::Process run({kExe, "run", kScenario, "--reps", "1", "--trace", trace}, dir.file("run.out"), dir.file("run.err"));
  REQUIRE(run.wait(60) == 0);
  std::ifstream in(trace);
  uint64_t lines = 0;
  for (std::string l; std::getline(in, l);) ++lines;
  return lines - 1;
}

/// Waits up to `timeout_s` until file `path` contains `part`.
bool wait_for_text(const std::string& path, const std::string& part, double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (has(test::read_file(path), part)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

/// The client id a twin or replay says it connected as ("... as 'ID'"), "" if it says none.
std::string client_id_in(const std::string& log) {
  std::smatch m;
  return std::regex_search(log, m, std::regex(" as '([^']+)'")) ? m[1].str() : "";
}

std::vector<std::string> twin_args(const std::string& broker, const std::string& prefix) {
  return {kExe, "twin", kScenario, "--broker", broker, "--prefix", prefix, "--publish-every", "0.1",
          "--forecast-every", "5", "--lookahead", "10", "--reps", "2", "--json"};
}

/// Runs linetwin under an address-space limit of 1 GiB, so that reading without bound fails at
/// once instead of taking the machine's memory; returns the exit status and stderr.
std::pair<int, std::string> run_limited(const test::TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"/usr/bin/prlimit", "--as=1073741824", kExe});
  test::Process p(args, dir.file("limited.out"), dir.file("limited.err"));
  const auto rc = p.wait(30);
  return {rc.value_or(-1), test::read_file(dir.file("limited.err"))};
}

}  // namespace

TEST_CASE("Two twins and two replays with one prefix on one broker each keep their connection and every event") {
  test::TempDir dir;
  test::Broker broker(dir);
  const std::string trace = dir.file("small.trace");
  const uint64_t events = record(dir, trace);

  test::Process a(twin_args(broker.address(), "p5"), dir.file("a.out"), dir.file("a.err"));
  test::Process b(twin_args(broker.address(), "p5"), dir.file("b.out"), dir.file("b.err"));
  REQUIRE(wait_for_text(dir.file("a.err"), "twin: mirroring", 15));
  REQUIRE(wait_for_text(dir.file("b.err"), "twin: mirroring", 15));
  const std::string id_a = client_id_in(test::read_file(dir.file("a.err")));
  CHECK(!id_a.empty());
  CHECK(id_a != client_id_in(test::read_file(dir.file("b.err"))));

  test::Process replay({kExe, "replay", trace, "--broker", broker.address(), "--prefix", "p5", "--speed", "max"},
                       dir.file("r.out"), dir.file("r.err"));
  REQUIRE_MESSAGE(replay.wait(60) == 0, test::read_file(dir.file("r.err")));
  // Both twins read the same topic from one broker: once one of them has every event, the other
  // has had the same messages delivered.
  auto watch = live::MqttClient::connect({"127.0.0.1", broker.port()}, "test-watch-5", {"p5/twin/state"}, 10, "test");
  REQUIRE(watch.ok());
  REQUIRE(test::wait_for(**watch, "p5/twin/state",
                         [&](const test::Json& v) { return test::number_at(v, {"messages", "applied"}) == double(events); }, 30));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  for (auto* twin : {&a, &b}) {
    const std::string name = twin == &a ? "a" : "b";
    CAPTURE(name);
    twin->signal(SIGTERM);
    REQUIRE(twin->wait(15) == 0);
    const test::Json state = test::parse_json(test::read_file(dir.file(name + ".out")));
    REQUIRE(state.is_object());
    CHECK(test::number_at(state, {"messages", "applied"}) == double(events));
    CHECK(test::number_at(state, {"connections"}) == 1);
    CHECK_FALSE(has(test::read_file(dir.file(name + ".err")), "lost the broker"));
  }

  // Two replays at once: each under an id of its own.
  test::Process r1({kExe, "replay", trace, "--broker", broker.address(), "--prefix", "p5b", "--speed", "max"},
                   dir.file("r1.out"), dir.file("r1.err"));
  test::Process r2({kExe, "replay", trace, "--broker", broker.address(), "--prefix", "p5b", "--speed", "max"},
                   dir.file("r2.out"), dir.file("r2.err"));
  CHECK(r1.wait(60) == 0);
  CHECK(r2.wait(60) == 0);
  const std::string id_r1 = client_id_in(test::read_file(dir.file("r1.err")));
  CHECK(!id_r1.empty());
  CHECK(id_r1 != client_id_in(test::read_file(dir.file("r2.err"))));
  CHECK_FALSE(has(test::read_file(dir.file("broker.log")), "already connected, closing old connection"));

  // An id of one process leaves no session behind; the broker forgets it when the twin stops.
  auto again = live::MqttClient::connect({"127.0.0.1", broker.port()}, id_a, {}, 10, "test");
  REQUIRE(again.ok());
  CHECK_FALSE((*again)->session_present());
}

TEST_CASE("Two twins given one client id are told, in one sentence naming the id, that they take it from each other") {
  test::TempDir dir;
  test::Broker broker(dir);
  auto args = twin_args(broker.address(), "p6");
  args.insert(args.end(), {"--client-id", "one-id"});
  test::Process a(args, dir.file("a.out"), dir.file("a.err"));
  REQUIRE(wait_for_text(dir.file("a.err"), "twin: mirroring", 15));
  test::Process b(args, dir.file("b.out"), dir.file("b.err"));
  const std::string sentence = "another client connects with the same client id 'one-id'";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  bool told = false;
  while (!told && std::chrono::steady_clock::now() < deadline) {
    told = has(test::read_file(dir.file("a.err")), sentence) || has(test::read_file(dir.file("b.err")), sentence);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK_MESSAGE(told, test::read_file(dir.file("a.err")) << test::read_file(dir.file("b.err")));
  a.signal(SIGTERM);
  b.signal(SIGTERM);
  CHECK(a.wait(15) == 0);
  CHECK(b.wait(15) == 0);
}

TEST_CASE("A broker given as [::1]:PORT is reached over IPv6 and malformed addresses are refused with exit 2") {
  auto parsed = live::parse_broker("[::1]:1884", "test");
  REQUIRE(parsed.ok());
  CHECK(parsed->host == "::1");
  CHECK(parsed->port == 1884);
  CHECK(live::broker_text(*parsed) == "[::1]:1884");
  auto bare = live::parse_broker("[fe80::1%lo]", "test");
  REQUIRE(bare.ok());
  CHECK(bare->host == "fe80::1%lo");
  CHECK(bare->port == 1883);
  CHECK(live::parse_broker("broker.example:1883", "test").ok());

  test::TempDir dir;
  for (const std::string bad : {"[::1", "[::1]1883", "[::1]:", "[::1]:0", "[::1]:70000", "[]:1883", "[hello]:1883",
                                "[127.0.0.1]:1883", "::1:1883", "[::1]:1883]", "host:12:34"}) {
    CAPTURE(bad);
    test::Process p({kExe, "twin", kScenario, "--broker", bad, "--connect-timeout", "1"}, dir.file("o"), dir.file("e"));
    CHECK(p.wait(20) == 2);
    const std::string err = test::read_file(dir.file("e"));
    CHECK(has(err, "--broker"));
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
  }

  if (!test::ipv6_loopback_available()) {
    MESSAGE("this machine has no IPv6 loopback: only the parsing of [::1]:PORT is checked");
    return;
  }
  test::Broker broker(dir, /*ipv6=*/true);
  const std::string v6 = "[::1]:" + std::to_string(broker.port());
  auto watch = live::MqttClient::connect({"::1", broker.port()}, "test-watch-7", {"p7/twin/state"}, 10, "test");
  REQUIRE(watch.ok());
  test::Process twin(twin_args(v6, "p7"), dir.file("twin.out"), dir.file("twin.err"));
  REQUIRE_MESSAGE(test::wait_for(**watch, "p7/twin/state", [](const test::Json&) { return true; }, 15),
                  test::read_file(dir.file("twin.err")));
  CHECK(has(test::read_file(dir.file("twin.err")), "on " + v6 + " as"));
  twin.signal(SIGTERM);
  CHECK(twin.wait(15) == 0);
  // The watch and the twin came over IPv6 (the broker's start was checked over IPv4, without an
  // MQTT client).
  const std::string log = test::read_file(dir.file("broker.log"));
  size_t v6_clients = 0;
  for (size_t at = log.find("New client connected from ::1:"); at != std::string::npos;
       at = log.find("New client connected from ::1:", at + 1))
    ++v6_clients;
  CHECK(v6_clients >= 2);  // and a third when the twin removes its session on leaving
  CHECK_FALSE(has(log, "New client connected from 127.0.0.1:"));
}

TEST_CASE("SIGINT and SIGTERM stop twin and replay while they wait for a broker, with 130 and 143") {
  test::TempDir dir;
  const std::string trace = dir.file("small.trace");
  const uint64_t events = record(dir, trace);
  const std::string nowhere = "127.0.0.1:" + std::to_string(test::free_port());  // nothing listens there

  test::Process twin({kExe, "twin", kScenario, "--broker", nowhere, "--connect-timeout", "120"}, dir.file("t.out"),
                     dir.file("t.err"));
  REQUIRE(wait_for_text(dir.file("t.err"), "waiting for the broker", 15));
  twin.signal(SIGINT);
  CHECK(twin.wait(5) == 130);
  CHECK(has(test::read_file(dir.file("t.err")), "stopped by SIGINT"));

  test::Process replay({kExe, "replay", trace, "--broker", nowhere, "--connect-timeout", "120"}, dir.file("r.out"),
                       dir.file("r.err"));
  REQUIRE(wait_for_text(dir.file("r.err"), "waiting for the broker", 15));
  replay.signal(SIGTERM);
  CHECK(replay.wait(5) == 143);
  CHECK_MESSAGE(has(test::read_file(dir.file("r.err")), "stopped by SIGTERM before the broker at " + nowhere +
                                                            " answered; 0 of " + std::to_string(events) + " events published"),
                test::read_file(dir.file("r.err")));
}

TEST_CASE("An interrupted replay exits 143 and says how many events it published") {
  test::TempDir dir;
  test::Broker broker(dir);
  const std::string trace = dir.file("small.trace");
  const uint64_t events = record(dir, trace);
  auto watch = live::MqttClient::connect({"127.0.0.1", broker.port()}, "test-watch-8", {"p8/station/+/event"}, 10, "test");
  REQUIRE(watch.ok());
  // At 60 times real time the small line's 10 hours take 10 minutes: it is certainly interrupted.
  test::Process replay({kExe, "replay", trace, "--broker", broker.address(), "--prefix", "p8", "--speed", "60"},
                       dir.file("r.out"), dir.file("r.err"));
  REQUIRE(wait_for_text(dir.file("r.err"), "times real time", 15));
  uint64_t received = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  while (std::chrono::steady_clock::now() < until)
    if ((*watch)->next(std::chrono::milliseconds(20))) ++received;
  replay.signal(SIGTERM);
  REQUIRE(replay.wait(10) == 143);
  while ((*watch)->next(std::chrono::milliseconds(500))) ++received;
  const std::string err = test::read_file(dir.file("r.err"));
  std::smatch m;
  REQUIRE_MESSAGE(std::regex_search(err, m, std::regex("stopped by SIGTERM after publishing ([0-9]+) of ([0-9]+) events")), err);
  CHECK(std::stoull(m[1].str()) == received);
  CHECK(received > 0);
  CHECK(received < events);
  CHECK(std::stoull(m[2].str()) == events);
}

TEST_CASE("replay and calibrate refuse /dev/zero at its first byte and a trace line longer than 1 MiB") {
  test::TempDir dir;
  auto [rc, err] = run_limited(dir, {"replay", "/dev/zero", "--broker", "127.0.0.1:1"});
  CHECK(rc == 2);
  CHECK_MESSAGE(has(err, "/dev/zero:1: not a linetwin trace"), err);
  std::tie(rc, err) = run_limited(dir, {"calibrate", "/dev/zero", "--scenario", kScenario});
  CHECK(rc == 2);
  CHECK_MESSAGE(has(err, "/dev/zero:1: not a linetwin trace"), err);

  const std::string header = R"({"linetwin_trace": 1, "stations": ["saw"], "products": ["A"]})";
  std::ofstream(dir.file("long.trace")) << header << "\n{\"t\": 1, \"station\": \"saw\", \"event\": \"arrive\", \"item\": \""
                                        << std::string(2 << 20, '7') << "\", \"product\": \"A\"}\n";
  std::tie(rc, err) = run_limited(dir, {"replay", dir.file("long.trace"), "--broker", "127.0.0.1:1"});
  CHECK(rc == 2);
  CHECK_MESSAGE(has(err, "long.trace:2: the line is longer than 1 MiB"), err);
  std::tie(rc, err) = run_limited(dir, {"calibrate", dir.file("long.trace"), "--scenario", kScenario});
  CHECK(rc == 2);
  CHECK_MESSAGE(has(err, "long.trace:2: the line is longer than 1 MiB"), err);
  std::ofstream(dir.file("long-header.trace")) << "{" << std::string(3 << 20, ' ') << "\"linetwin_trace\": 1}\n";
  std::tie(rc, err) = run_limited(dir, {"replay", dir.file("long-header.trace"), "--broker", "127.0.0.1:1"});
  CHECK(rc == 2);
  CHECK_MESSAGE(has(err, "long-header.trace:1: the line is longer than 1 MiB"), err);
  // A line of exactly 1 MiB is still a line.
  const std::string before = R"({"t": 1, "station": "saw", "event": "arrive", "item": ")", after = R"(", "product": "A"})";
  std::ofstream(dir.file("wide.trace")) << header << "\n" << before
                                        << std::string((1 << 20) - before.size() - after.size(), '7') << after << "\n";
  std::tie(rc, err) = run_limited(dir, {"replay", dir.file("wide.trace"), "--broker", "127.0.0.1:" +
                                                                                 std::to_string(test::free_port()),
                                        "--connect-timeout", "0"});
  CHECK(rc == 2);
  CHECK_MESSAGE(has(err, "no MQTT broker answered"), err);  // read and checked whole, then no broker
}
