// The command line from the outside: exit statuses, messages, JSON and CSV output, and that bad
// input never crashes the program or leaves a partial file. Runs the built program.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <vector>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/app/cli_test_util.hpp"

namespace fs = std::filesystem;

namespace {

using namespace linetwin::test;  // the helpers of cli_test_util.hpp

}  // namespace

TEST_CASE("run prints a table and --json prints the contract's object") {
  const auto t = run("run tests/sim/scenarios/tandem.yaml --reps 3 --horizon 2000 --warmup 100");
  REQUIRE(t.status == 0);
  CHECK(contains(t.out, "throughput"));
  CHECK(contains(t.out, "m2"));
  const auto j = run("run tests/sim/scenarios/tandem.yaml --reps 3 --horizon 2000 --json");
  REQUIRE(j.status == 0);
  Json r = parse_json(j.out);
  REQUIRE(r.is_object());
  CHECK(r["scenario"].is_string());
  CHECK(r["time_unit"] == "min");
  CHECK((r["replications"].is_number_integer() && r["replications"] == 3));
  CHECK(r["events"].is_number_integer());
  CHECK(r["wall_s"].is_number());
  // The contract's KPIs in its order: the original four, then those of "The line as planners have it".
  CHECK(keys_of(r["kpis"]) ==
        std::vector<std::string>{"throughput", "lead_time", "wip", "lost", "scrap", "power", "energy_per_item"});
  for (auto& [kpi, figure] : r["kpis"].items()) CHECK_MESSAGE(is_summary(figure), kpi);
  REQUIRE(r["stations"].contains("m1"));
  for (const char* key : {"utilization", "setup", "blocked", "starved", "waiting", "down", "maintenance", "off",
                          "queue", "oee"})
    CHECK_MESSAGE(is_summary(r["stations"]["m1"][key]), key);
  // One product: its figures are the line's.
  REQUIRE(keys_of(r["products"]) == std::vector<std::string>{"A"});
  for (const char* key : {"throughput", "lead_time", "wip", "scrap"})
    CHECK_MESSAGE(r["products"]["A"][key] == r["kpis"][key], key);
  CHECK((r["workers"].is_object() && r["workers"].empty()));  // a line without worker pools
  const auto crew = run("run tests/sim/scenarios/interference.yaml --reps 3 --horizon 2000 --json");
  REQUIRE(crew.status == 0);
  Json c = parse_json(crew.out);
  REQUIRE(c.is_object());
  CHECK(keys_of(c["workers"]) == std::vector<std::string>{"technicians"});
  CHECK(is_summary(c["workers"]["technicians"]["utilization"]));
  const auto one = run("run tests/sim/scenarios/tandem.yaml --reps 1 --horizon 2000 --json");
  Json r1 = parse_json(one.out);
  REQUIRE(r1.is_object());
  CHECK(is_summary(r1["kpis"]["throughput"], false));  // one replication: "ci95": null
}

TEST_CASE("The same seed gives the same JSON whatever --threads is") {
  auto strip = [](const std::string& text) {  // wall time and thread count legitimately differ
    Json j = parse_json(text);
    REQUIRE(j.is_object());
    CHECK(j.erase("wall_s") == 1);
    CHECK(j.erase("threads") == 1);
    return j.dump();  // keys in order: the same text means the same keys, order and values
  };
  const auto a = run("run tests/sim/scenarios/transport_line.yaml --reps 4 --horizon 5000 --threads 1 --json");
  const auto b = run("run tests/sim/scenarios/transport_line.yaml --reps 4 --horizon 5000 --threads 2 --json");
  REQUIRE(a.status == 0);
  REQUIRE(b.status == 0);
  CHECK(strip(a.out) == strip(b.out));
}

TEST_CASE("--out writes the CSV files whole, and nothing on bad input") {
  const fs::path dir = scratch() / "csv";
  fs::remove_all(dir);
  const auto r = run("run tests/sim/scenarios/tandem.yaml --reps 3 --horizon 1000 --out '" + dir.string() + "'");
  REQUIRE(r.status == 0);
  for (const char* f : {"line.csv", "stations.csv", "products.csv", "workers.csv", "summary.csv"})
    CHECK(fs::exists(dir / f));
  const std::string line = slurp(dir / "line.csv");
  CHECK(contains(line, "replication,throughput"));
  CHECK(std::count(line.begin(), line.end(), '\n') == 4);  // header + 3 replications
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  CHECK(files == 5);  // no temporary left behind

  const fs::path bad_dir = scratch() / "csv_bad";
  fs::remove_all(bad_dir);
  const auto b = run("run tests/app/bad/unknown_key.yaml --out '" + bad_dir.string() + "'");
  CHECK(b.status == 2);
  CHECK((!fs::exists(bad_dir) || fs::is_empty(bad_dir)));
}

TEST_CASE("compare reports paired differences and says which are significant") {
  const auto c = run("compare tests/sim/scenarios/tandem.yaml --set stations.m2.machines=2 --reps 5 --horizon 5000");
  REQUIRE(c.status == 0);
  CHECK(contains(c.out, "lead_time"));
  CHECK(contains(c.out, "significant"));
  const auto j = run("compare tests/sim/scenarios/tandem.yaml --set stations.m2.machines=2 --reps 5 --horizon 5000 --json");
  REQUIRE(j.status == 0);
  Json c_json = parse_json(j.out);
  REQUIRE(c_json.is_object());
  Json& lead = c_json["kpis"]["lead_time"];
  CHECK(keys_of(lead) == std::vector<std::string>{"a", "b", "difference", "significant"});
  // A second machine at m2 shortens the lead time: the difference must be significant and negative.
  CHECK(lead["significant"] == true);
  CHECK(is_summary(lead["difference"]));
  CHECK(lead["difference"]["ci95"][1].get<double>() < 0);
  const auto same = run("compare tests/sim/scenarios/tandem.yaml tests/sim/scenarios/tandem.yaml --reps 3 --horizon 2000 --json");
  REQUIRE(same.status == 0);
  Json s_json = parse_json(same.out);
  REQUIRE(s_json.is_object());
  int figures = 0;  // identical with common random numbers: nothing significant
  for (auto& [kpi, d] : s_json["kpis"].items()) {
    CHECK_MESSAGE(d["significant"] == false, kpi);
    ++figures;
  }
  for (auto& [station, st] : s_json["stations"].items())
    for (auto& [figure, d] : st.items()) {
      const std::string what = station + " " + figure;
      CHECK_MESSAGE(d["significant"] == false, what);
      ++figures;
    }
  CHECK(figures > 4);
}

TEST_CASE("run shows scrap and a products table, and compare and schedule know about them") {
  const auto t = run("run tests/sim/scenarios/quality_mix.yaml --reps 3 --horizon 5000");
  REQUIRE(t.status == 0);
  CHECK(contains(t.out, "  scrap "));
  CHECK(contains(t.out, "Product"));
  const auto j = run("run tests/sim/scenarios/quality_mix.yaml --reps 3 --horizon 5000 --json");
  REQUIRE(j.status == 0);
  Json r = parse_json(j.out);
  REQUIRE(r.is_object());
  CHECK(keys_of(r["products"]) == std::vector<std::string>{"A", "B"});
  CHECK(r["kpis"]["scrap"]["mean"].get<double>() > 0);
  // Each product's scrap rate adds up to the line's.
  CHECK(r["products"]["A"]["scrap"]["mean"].get<double>() + r["products"]["B"]["scrap"]["mean"].get<double>() ==
        doctest::Approx(r["kpis"]["scrap"]["mean"].get<double>()));
  const auto c = run("compare tests/sim/scenarios/quality_mix.yaml --set stations.m1.scrap=0.3 --reps 5 --horizon 5000 --json");
  REQUIRE(c.status == 0);
  Json cj = parse_json(c.out);
  REQUIRE(cj.is_object());
  CHECK(cj["kpis"]["scrap"]["significant"] == true);
  CHECK(cj["kpis"]["scrap"]["difference"]["mean"].get<double>() > 0);
  CHECK(cj["products"]["A"]["throughput"]["difference"]["mean"].get<double>() < 0);
  const auto s = run("schedule tests/optimize/ft06_line.yaml --set stations.M0.scrap=0.1 --iterations 1000");
  CHECK(s.status == 2);
  CHECK(contains(s.err, "stations.M0.scrap"));
  CHECK(std::count(s.err.begin(), s.err.end(), '\n') == 1);
}

TEST_CASE("Every bad scenario in tests/app/bad is refused with exit 2 and names its key") {
  // Each file's first line says what the message must contain: "# expect: TEXT".
  int checked = 0;
  for (const auto& e : fs::directory_iterator(fs::path(LINETWIN_SOURCE_DIR) / "tests/app/bad")) {
    const std::string text = slurp(e.path());
    const std::string tag = "# expect: ";
    REQUIRE_MESSAGE(text.rfind(tag, 0) == 0, e.path().string());
    const std::string expect = text.substr(tag.size(), text.find('\n') - tag.size());
    const auto r = run("run '" + e.path().string() + "'");
    CAPTURE(e.path().filename().string());
    CAPTURE(r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, expect));
    CHECK(contains(r.err, e.path().filename().string()));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one sentence, one line
    CHECK(r.out.empty());
    ++checked;
  }
  CHECK(checked >= 10);
}

TEST_CASE("Bad flags are refused with exit 2 and a clear sentence") {
  const std::string sc = "tests/sim/scenarios/tandem.yaml";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"run " + sc + " --reps 0", "--reps"},
      {"run " + sc + " --reps many", "--reps"},
      {"run " + sc + " --threads -1", "--threads"},
      {"run " + sc + " --horizon -5", "--horizon"},
      {"run " + sc + " --horizon 5parsecs", "--horizon"},
      {"run " + sc + " --warmup abc", "--warmup"},
      {"run " + sc + " --seed x", "--seed"},
      {"run " + sc + " --bogus", "--bogus"},
      {"run " + sc + " --reps", "needs a value"},
      {"run " + sc + " --set nothing", "--set"},
      {"run " + sc + " --set stations.m9.machines=2", "m9"},
      {"run " + sc + " --set stations.m1.machines=abc", "stations.m1.machines"},
      {"run " + sc + " --set stations.m1.machines=-3", "stations.m1.machines"},
      {"run " + sc + " --set 'stations.m1.process={dist: gamma, mean: 1}'", "gamma"},
      {"run tests/app/no_such_file.yaml", "no_such_file.yaml"},
      {"run", "scenario"},
      {"frobnicate", "frobnicate"},
      {"compare " + sc, "--set"},
      {"run " + sc + " --out /proc/version/x", "--out"},
  };
  for (const auto& [args, expect] : cases) {
    CAPTURE(args);
    const auto r = run(args);
    CAPTURE(r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, expect));
  }
}

TEST_CASE("validate accepts the example lines") {
  for (const char* f : {"scenarios/bottling_line.yaml", "scenarios/machining_cell.yaml", "scenarios/assembly_line.yaml"}) {
    CAPTURE(f);
    const auto r = run(std::string("validate ") + f);
    CAPTURE(r.err);
    CHECK(r.status == 0);
    CHECK(contains(r.out, "valid"));
  }
}

TEST_CASE("schedule prints the contract's JSON, a Gantt chart, and refuses bad input with exit 2") {
  const fs::path svg = scratch() / "ft06.svg";
  fs::remove(svg);
  const auto r = run("schedule tests/optimize/instances/ft06.txt --iterations 100000 --threads 2 --json --gantt '" +
                     svg.string() + "'");
  REQUIRE(r.status == 0);
  Json s = parse_json(r.out);
  REQUIRE(s.is_object());
  CHECK((s["makespan"].is_number_integer() && s["makespan"] == 55));
  REQUIRE(s["schedule"].is_array());
  CHECK(s["schedule"].size() == 6);  // ft06: per job in file order
  bool machine_2 = false;
  for (auto& job : s["schedule"])
    for (auto& op : job) {
      CHECK(keys_of(op) == std::vector<std::string>{"machine", "start", "duration"});
      CHECK((op["start"].is_number_integer() && op["duration"].is_number_integer()));
      machine_2 = machine_2 || op["machine"] == 2;
    }
  CHECK(machine_2);
  CHECK(contains(slurp(svg), "</svg>"));
  const auto table = run("schedule tests/optimize/instances/la01.txt --method mwkr");
  CHECK(table.status == 0);
  CHECK(contains(table.out, "lower bound"));
  for (const auto& [args, expect] : std::vector<std::pair<std::string, std::string>>{
           {"schedule tests/optimize/instances/ft06.txt --method annealing", "annealing"},
           {"schedule tests/optimize/instances/ft06.txt --time-limit 0", "--time-limit"},
           {"schedule tests/app/bad/empty.yaml", "empty.yaml"},
           {"schedule tests/optimize/no_such.txt", "no_such.txt"}}) {
    CAPTURE(args);
    const auto b = run(args);
    CHECK(b.status == 2);
    CHECK(contains(b.err, expect));
  }
}

TEST_CASE("schedule SCENARIO plans its orders and executes the plan on the line") {
  const fs::path svg = scratch() / "plan.svg";
  fs::remove(svg);
  const auto r = run("schedule tests/optimize/ft06_line.yaml --iterations 100000 --threads 2 --json --gantt '" +
                     svg.string() + "'");
  REQUIRE(r.status == 0);
  Json p = parse_json(r.out);
  REQUIRE(p.is_object());
  REQUIRE(!keys_of(p["planned"]).empty());
  CHECK(keys_of(p["planned"])[0] == "makespan");
  CHECK(p["planned"]["makespan"] == 55);
  CHECK(p["simulated"]["makespan"] == Json::parse(R"({"mean": 55, "ci95": [55, 55]})"));  // constant times: exactly the plan
  CHECK((p["simulated"]["complete"].is_number_integer() && p["simulated"]["complete"] == 3));
  CHECK(contains(slurp(svg), "</svg>"));
  const auto table = run("schedule scenarios/machining_orders.yaml --objective tardiness --iterations 2000 --reps 3");
  CAPTURE(table.err);
  REQUIRE(table.status == 0);
  CHECK(contains(table.out, "weighted tardiness"));
  CHECK(contains(table.out, "A-1003"));
  for (const auto& [args, expect] : std::vector<std::pair<std::string, std::string>>{
           {"schedule tests/optimize/ft06_line.yaml --objective speed", "--objective"},
           {"schedule tests/optimize/ft06_line.yaml --method tabu", "--method"},
           {"schedule tests/optimize/instances/ft06.txt --reps 3", "--reps"},
           {"schedule tests/sim/scenarios/tandem.yaml", "no orders"},
           {"schedule tests/optimize/ft06_line.yaml --set orders.o1.quantity=0", "orders.o1.quantity"}}) {
    CAPTURE(args);
    const auto b = run(args);
    CHECK(b.status == 2);
    CHECK(contains(b.err, expect));
  }
}

TEST_CASE("every verb answers --help with its generated usage and flags, and --version prints the version") {
  // The verbs as `linetwin help` lists them: each must document itself, and that list must be whole.
  const auto overview = run("help");
  REQUIRE(overview.status == 0);
  const std::vector<std::pair<std::string, std::string>> verbs = {
      {"run", "--trace"},           {"compare", "--set"},       {"validate", "--set"},
      {"schedule", "--time-limit"}, {"view", "--screenshot"},   {"sweep", "--samples"},
      {"surrogate train", "--out"}, {"surrogate predict", "--extrapolate"},
      {"surrogate eval", "--data"}, {"optimize", "--budget"},   {"twin", "--broker"},
      {"replay", "--speed"},        {"calibrate", "--scenario"}};
  for (const auto& [verb, flag] : verbs) {
    CAPTURE(verb);
    CHECK(contains(overview.out, "  " + verb + " "));
    const auto h = run(verb + " --help");
    CHECK(h.status == 0);
    CHECK(contains(h.out, "Usage: linetwin " + verb + " "));
    CHECK(contains(h.out, flag));
    CHECK(h.err.empty());
    const auto again = run("help " + verb);
    CHECK(again.status == 0);
    CHECK(again.out == h.out);
  }
  const auto group = run("surrogate --help");
  CHECK(group.status == 0);
  CHECK(contains(group.out, "surrogate predict"));
  const auto v = run("--version");
  CHECK(v.status == 0);
  CHECK(v.out.rfind("linetwin ", 0) == 0);
  // A flag the verb does not take names the verb's help; a flag given twice is refused.
  const auto bad = run("optimize tests/sim/scenarios/tandem.yaml --frames 3");
  CHECK(bad.status == 2);
  CHECK(contains(bad.err, "'linetwin optimize --help'"));
  const auto twice = run("run tests/sim/scenarios/tandem.yaml --reps 2 --reps 3");
  CHECK(twice.status == 2);
  CHECK(contains(twice.err, "given twice"));
}
