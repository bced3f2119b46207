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

using linetwin::test::Outcome;
using linetwin::test::run;
using linetwin::test::scratch;
using linetwin::test::contains;
using linetwin::test::slurp;

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
    for (const char* key : {"\"samples\": 30", "\"train_s\": ", "\"holdout\": {\"throughput\": {\"r2\": ", "\"mape\": ",
                            "\"lead_time\": {", "\"wip\": {"})
      CHECK_MESSAGE(contains(t.out, key), key);
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
  CHECK(p.out.rfind("{\"kpis\": {\"throughput\": ", 0) == 0);
  CHECK(contains(p.out, "\"lead_time\": "));
  CHECK(contains(p.out, "\"stations.m2.buffer\": 2"));  // the scenario's own value
  const auto q = run("surrogate predict " + m + " --set stations.m2.buffer=4 --json");
  REQUIRE(q.status == 0);
  CHECK(contains(q.out, "\"stations.m2.buffer\": 4"));
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
  CHECK(e.out.rfind("{\"points\": 12, \"scores\": {\"throughput\": {\"r2\": ", 0) == 0);

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
  for (const char* key : {"\"best\": {\"factors\": {\"stations.m2.buffer\": ", "\"objective\": ", "\"kpis\": {\"throughput\": {\"mean\": ",
                          "\"ci95\": [", "\"baseline\": {\"factors\": {\"stations.m2.buffer\": 2, \"stations.m3.buffer\": 2}",
                          "\"evaluations\": ", "\"method\": \"gradient\""})
    CHECK_MESSAGE(contains(o.out, key), key);
  const auto again = run("optimize " + kTiny + " --budget 16 --threads 1 --json");
  auto strip = [](std::string s) { return s.substr(0, s.find("\"wall_s\"")); };
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
