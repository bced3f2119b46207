// sweep, surrogate and optimize from the outside: their files and JSON, and the bad input each
// must refuse with exit 2 and one sentence (bad factor paths, empty designs, corrupt models,
// malformed data) without leaving a partial file. Runs the built program on a tiny line.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/app/cli_test_util.hpp"

namespace fs = std::filesystem;

namespace {

using namespace linetwin::test;  // the helpers of cli_test_util.hpp

const std::string kTiny = "tests/optimize/scenarios/tiny_line.yaml";

// One error sentence on stderr, exit 2.
void refused(const Outcome& o, const std::string& part) {
  CHECK(o.status == 2);
  CHECK_MESSAGE(contains(o.err, part), o.err);
  CHECK(o.err.rfind("error: ", 0) == 0);
  CHECK(o.err.find('\n') == o.err.size() - 1);
}

// A model of the tiny line, trained once for the tests below.
const fs::path& model() {
  static const fs::path m = [] {
    const fs::path p = scratch() / "tiny.model";
    const auto t = run("surrogate train " + kTiny + " --samples 30 --threads 1 --out '" + p.string() + "' --json");
    REQUIRE(t.status == 0);
    Json j = parse_json(t.out);
    REQUIRE(j.is_object());
    CHECK((j["samples"].is_number_integer() && j["samples"] == 30));
    CHECK(j["train_s"].is_number());
    Json& holdout = j["holdout"];
    REQUIRE(!keys_of(holdout).empty());
    CHECK(keys_of(holdout)[0] == "throughput");
    for (const char* kpi : {"throughput", "lead_time", "wip"}) {
      CAPTURE(kpi);
      CHECK(keys_of(holdout[kpi]) == std::vector<std::string>{"r2", "mape"});
      CHECK((holdout[kpi]["r2"].is_number() || holdout[kpi]["r2"].is_null()));
      CHECK((holdout[kpi]["mape"].is_number() || holdout[kpi]["mape"].is_null()));
    }
    return p;
  }();
  return m;
}

}  // namespace

TEST_CASE("sweep writes one CSV row per point with factor and KPI columns") {
  const fs::path csv = scratch() / "sweep.csv";
  const auto s = run("sweep " + kTiny + " --samples 7 --threads 2 --out '" + csv.string() + "'");
  REQUIRE(s.status == 0);
  CHECK(contains(s.out, "7 points"));
  const std::string text = slurp(csv);
  CHECK(text.rfind("stations.m2.buffer,stations.m3.buffer,throughput_mean,throughput_ci95,lead_time_mean,", 0) == 0);
  CHECK(std::count(text.begin(), text.end(), '\n') == 8);
  // The same points whatever the threads; a grid of at most the samples asked for.
  const fs::path one = scratch() / "sweep1.csv";
  REQUIRE(run("sweep " + kTiny + " --samples 7 --threads 1 --out '" + one.string() + "'").status == 0);
  CHECK(slurp(one) == text);
  const auto g = run("sweep " + kTiny + " --samples 10 --design grid --json --out '" + one.string() + "'");
  REQUIRE(g.status == 0);
  CHECK(contains(g.out, "\"points\": 9"));
  CHECK(contains(g.out, "\"design\": \"grid\""));
}

TEST_CASE("sweep refuses empty designs and scenarios without factors and bad flags") {
  const fs::path csv = scratch() / "never.csv";
  refused(run("sweep " + kTiny + " --samples 0 --out '" + csv.string() + "'"), "'--samples' expects a whole number from 1");
  refused(run("sweep " + kTiny + " --out '" + csv.string() + "'"), "--samples");
  refused(run("sweep tests/sim/scenarios/tandem.yaml --samples 5 --out '" + csv.string() + "'"), "no factors");
  refused(run("sweep " + kTiny + " --samples 5 --design sobol"), "lhs (Latin hypercube), grid or random");
  refused(run("sweep " + kTiny + " --samples 5 --set 'factors=[{path: stations.m9.buffer, range: [0, 3]}]'"),
          "the factor path does not lead to a value");
  refused(run("sweep " + kTiny + " --samples 5 --out /nonexistent/dir/x.csv"), "does not exist");
  CHECK_FALSE(fs::exists(csv));
}

TEST_CASE("surrogate predict keeps the scenario's values and takes --set and refuses what it cannot vouch for") {
  const std::string m = "'" + model().string() + "'";
  const auto p = run("surrogate predict " + m + " --json");
  REQUIRE(p.status == 0);
  Json pj = parse_json(p.out);
  REQUIRE(pj.is_object());
  REQUIRE(!keys_of(pj).empty());
  CHECK(keys_of(pj)[0] == "kpis");
  REQUIRE(!keys_of(pj["kpis"]).empty());
  CHECK(keys_of(pj["kpis"])[0] == "throughput");
  CHECK(pj["kpis"]["throughput"].is_number());
  CHECK(pj["kpis"]["lead_time"].is_number());
  CHECK(pj["factors"]["stations.m2.buffer"] == 2);  // the scenario's own value
  const auto q = run("surrogate predict " + m + " --set stations.m2.buffer=4 --json");
  REQUIRE(q.status == 0);
  Json qj = parse_json(q.out);
  REQUIRE(qj.is_object());
  CHECK(qj["factors"]["stations.m2.buffer"] == 4);
  CHECK(q.out != p.out);
  refused(run("surrogate predict " + m + " --set stations.m9.buffer=1"), "key 'stations.m9.buffer': not a factor of the model");
  refused(run("surrogate predict " + m + " --set stations.m2.buffer=9"), "outside the range the model was trained on, [0, 5]");
  CHECK(run("surrogate predict " + m + " --set stations.m2.buffer=9 --extrapolate").status == 0);
  refused(run("surrogate predict " + m + " --set stations.m2.buffer=2.5"), "whole number");
  refused(run("surrogate predict " + m + " --set stations.m2.buffer=abc"), "expected a number");
  refused(run("surrogate predict"), "expects one model file");
  refused(run("surrogate fit " + m), "unknown subcommand 'fit'");
}

TEST_CASE("surrogate eval scores a model on any dataset and corrupt models and data are refused") {
  const std::string m = "'" + model().string() + "'";
  const fs::path csv = scratch() / "eval.csv";
  REQUIRE(run("sweep " + kTiny + " --samples 12 --seed 4 --out '" + csv.string() + "'").status == 0);
  const auto e = run("surrogate eval " + m + " --data '" + csv.string() + "' --json");
  REQUIRE(e.status == 0);
  Json ej = parse_json(e.out);
  REQUIRE(ej.is_object());
  CHECK(keys_of(ej) == std::vector<std::string>{"points", "scores"});
  CHECK((ej["points"].is_number_integer() && ej["points"] == 12));
  REQUIRE(!keys_of(ej["scores"]).empty());
  CHECK(keys_of(ej["scores"])[0] == "throughput");
  REQUIRE(!keys_of(ej["scores"]["throughput"]).empty());
  CHECK(keys_of(ej["scores"]["throughput"])[0] == "r2");

  refused(run("surrogate eval " + m + " --data /nonexistent/data.csv"), "cannot read file");
  const fs::path bad = scratch() / "bad.csv";
  std::ofstream(bad) << "stations.m2.buffer,stations.m3.buffer,throughput_mean\n1,2,0.5\n1,x,0.5\n";
  refused(run("surrogate eval " + m + " --data '" + bad.string() + "'"), "bad.csv:3:3: key 'stations.m3.buffer': expected a number");
  std::ofstream(bad) << "a,throughput_mean\n1,0.5\n";
  refused(run("surrogate eval " + m + " --data '" + bad.string() + "'"), "no column for this factor");

  const std::string bytes = slurp(model());
  const fs::path broken = scratch() / "broken.model";
  std::ofstream(broken, std::ios::binary) << bytes.substr(0, bytes.size() - 50);
  refused(run("surrogate predict '" + broken.string() + "'"), "not a valid linetwin model");
  std::ofstream(broken, std::ios::binary) << "PK\x03\x04 something else entirely";
  refused(run("surrogate predict '" + broken.string() + "'"), "not a linetwin surrogate model");
  refused(run("surrogate predict " + kTiny), "not a linetwin surrogate model");
  refused(run("surrogate predict /nonexistent.model"), "cannot read the model file");
}

TEST_CASE("A model file is checked by its first bytes: /dev/zero is refused at once and CRLF line endings are named") {
  // Under a 1 GiB address-space limit: reading /dev/zero without bound would fail, not fill the machine.
  const auto zero = linetwin::test::run_shell("(ulimit -v 1048576; linetwin surrogate predict /dev/zero)");
  CHECK(zero.status == 2);
  CHECK_MESSAGE(contains(zero.err, "/dev/zero: not a linetwin surrogate model"), zero.err);
  // A model copied in text mode: every LF, in the weights too, became CRLF.
  std::string crlf;
  for (char c : slurp(model())) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const fs::path p = scratch() / "crlf.model";
  std::ofstream(p, std::ios::binary) << crlf;
  refused(run("surrogate predict '" + p.string() + "'"), "crlf.model:1: not a valid linetwin model: its lines end in CRLF");
  // Through a pipe, which can be read once, the same checks come after reading.
  const auto piped = linetwin::test::run_shell("linetwin surrogate predict <(cat " + linetwin::test::shell_word(p.string()) + ")");
  CHECK(piped.status == 2);
  CHECK_MESSAGE(contains(piped.err, "its lines end in CRLF"), piped.err);
  const auto good = linetwin::test::run_shell("linetwin surrogate predict <(cat " + linetwin::test::shell_word(model().string()) +
                                              ") >/dev/null");
  CHECK_MESSAGE(good.status == 0, good.err);
}

TEST_CASE("surrogate train refuses bad input and leaves no partial model") {
  const fs::path out = scratch() / "never.model";
  refused(run("surrogate train " + kTiny + " --samples 0 --out '" + out.string() + "'"), "--samples");
  refused(run("surrogate train " + kTiny + " --samples 5 --out '" + out.string() + "'"), "at least 10");
  refused(run("surrogate train " + kTiny + " --samples 20"), "--out MODEL");
  refused(run("surrogate train tests/sim/scenarios/tandem.yaml --samples 20 --out '" + out.string() + "'"), "no factors");
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("optimize prints the contract's JSON with both settings simulated with intervals") {
  const auto o = run("optimize " + kTiny + " --budget 16 --threads 2 --json");
  REQUIRE(o.status == 0);
  Json oj = parse_json(o.out);
  REQUIRE(oj.is_object());
  REQUIRE(!keys_of(oj).empty());
  CHECK(keys_of(oj)[0] == "best");
  for (const char* setting : {"best", "baseline"}) {
    CAPTURE(setting);
    Json& s = oj[setting];
    CHECK(keys_of(s) == std::vector<std::string>{"factors", "objective", "kpis"});
    REQUIRE(!keys_of(s["factors"]).empty());
    CHECK(keys_of(s["factors"])[0] == "stations.m2.buffer");
    CHECK(s["objective"].is_number());
    REQUIRE(!keys_of(s["kpis"]).empty());
    CHECK(keys_of(s["kpis"])[0] == "throughput");
    CHECK(is_summary(s["kpis"]["throughput"]));
  }
  CHECK(oj["baseline"]["factors"] == Json::parse(R"({"stations.m2.buffer": 2, "stations.m3.buffer": 2})"));
  CHECK(oj["evaluations"].is_number_integer());
  CHECK(oj["method"] == "gradient");
  const auto again = run("optimize " + kTiny + " --budget 16 --threads 1 --json");
  auto strip = [](const std::string& text) {  // wall time legitimately differs
    Json j = parse_json(text);
    REQUIRE(j.is_object());
    CHECK(j.erase("wall_s") == 1);
    return j.dump();
  };
  CHECK(strip(again.out) == strip(o.out));  // the same whatever the threads
  const auto with_model = run("optimize " + kTiny + " --budget 10 --method ga --surrogate '" + model().string() + "'");
  CHECK(with_model.status == 0);
  CHECK(contains(with_model.out, "linetwin run " + kTiny + " --set stations.m2.buffer="));
  refused(run("optimize " + kTiny + " --method newton"), "grid, random, anneal, ga or gradient");
  refused(run("optimize " + kTiny + " --budget 0"), "'--budget' expects a whole number from 1");
  refused(run("optimize tests/sim/scenarios/tandem.yaml"), "no factors");
  refused(run("optimize " + kTiny + " --set objective="), "no objective");
  refused(run("optimize " + kTiny + " --method gradient --budget 5"), "raise --budget");
  refused(run("optimize " + kTiny + " --surrogate '" + kTiny + "'"), "not a linetwin surrogate model");
}
