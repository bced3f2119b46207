// Plans on the line against what no one here chose: ft06's proven optimum, brute force for
// weighted tardiness, the validity of every plan, and the simulator executing a plan on a
// deterministic line at exactly the planned times.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>

#include "optimize/line_plan.hpp"
#include "scenarios/scenario.hpp"
#include "sim/experiment.hpp"
#include "sim/line.hpp"
#include "sim/random.hpp"

using namespace linetwin;
using namespace linetwin::optimize;

namespace {

scenarios::Scenario load(const std::string& rel) {
  auto sc = scenarios::load_scenario(std::string(LINETWIN_SOURCE_DIR) + "/" + rel);
  if (!sc) FAIL(sc.error().message());
  return *sc;
}

// A source the plan switches off (a line needs one to be a line).
void add_unused_source(sim::LineDef& line) {
  sim::SourceDef src;
  src.name = "unused";
  src.mix.push_back({static_cast<sim::ProductId>(0), 1.0});
  src.interarrival = sim::constant(1000);
  line.sources.push_back(src);
}

// A random deterministic line: stations with one to three machines, products with random routes
// (a station at most once), constant process times, some transports with constant travel times,
// unlimited buffers; and random orders with releases, due dates and weights.
void random_line(sim::Rng& rng, sim::LineDef& line, std::vector<sim::OrderDef>& orders) {
  auto pick = [&](size_t n) { return static_cast<size_t>(rng.uniform() * double(n)); };
  const size_t stations = 2 + pick(4), products = 1 + pick(3);
  line.name = "random";
  for (size_t s = 0; s < stations; ++s) {
    sim::StationDef st;
    st.name = "s" + std::to_string(s);
    st.machines = 1 + static_cast<uint32_t>(pick(3));
    st.buffer = sim::kUnlimited;
    line.stations.push_back(st);
  }
  for (size_t p = 0; p < products; ++p) {
    sim::ProductDef pd;
    pd.name = "p" + std::to_string(p);
    std::vector<uint32_t> order(stations);
    std::iota(order.begin(), order.end(), 0u);
    for (size_t i = stations; i > 1; --i) std::swap(order[i - 1], order[pick(i)]);
    const size_t len = 1 + pick(stations);
    for (size_t k = 0; k < len; ++k) pd.route.push_back(static_cast<sim::StationId>(order[k]));
    line.products.push_back(pd);
  }
  for (auto& st : line.stations)
    for (size_t p = 0; p < products; ++p) st.process.push_back(sim::constant(double(1 + pick(9))));
  for (const auto& pd : line.products)
    for (size_t k = 0; k + 1 < pd.route.size(); ++k) {
      const bool exists = std::any_of(line.transports.begin(), line.transports.end(), [&](const sim::TransportDef& t) {
        return t.from == pd.route[k] && t.to == pd.route[k + 1];
      });
      if (!exists && rng.uniform() < 0.5) {
        sim::TransportDef t;
        t.from = pd.route[k];
        t.to = pd.route[k + 1];
        t.time = sim::constant(double(1 + pick(4)));
        t.capacity = sim::kUnlimited;
        line.transports.push_back(t);
      }
    }
  add_unused_source(line);
  const size_t n_orders = 1 + pick(4);
  for (size_t o = 0; o < n_orders; ++o) {
    sim::OrderDef od;
    od.name = "o" + std::to_string(o);
    od.product = static_cast<sim::ProductId>(pick(products));
    od.quantity = 1 + static_cast<uint32_t>(pick(3));
    od.release = double(pick(3) * 5);
    od.due = 10 + double(pick(40));
    od.weight = double(1 + pick(3));
    orders.push_back(od);
  }
}

// Changeovers and shifts on a random line: each station a setup matrix of whole numbers (0 on the
// diagonal, sometimes 0 off it too), and calendars of whole hours, the line's and now and then a
// station's own, with a break. Whole numbers keep the simulator's and the planner's sums exact.
void add_setups_and_calendars(sim::Rng& rng, sim::LineDef& line) {
  auto pick = [&](size_t n) { return static_cast<size_t>(rng.uniform() * double(n)); };
  const size_t products = line.products.size();
  for (auto& st : line.stations) {
    if (rng.uniform() < 0.3) continue;  // some stations change over for free
    st.setups.assign(products * products, sim::constant(0));
    for (size_t a = 0; a < products; ++a)
      for (size_t b = 0; b < products; ++b)
        if (a != b) st.setups[a * products + b] = sim::constant(double(pick(5)));
  }
  sim::CalendarDef shifts{"shifts", 24, {{0, 8}, {9, 17}}, {{4, 5}}};
  sim::CalendarDef day{"day", 13, {{1, 11}}, {}};
  line.calendars = {shifts, day};
  line.calendar = 0;
  for (auto& st : line.stations)
    if (rng.uniform() < 0.3) st.calendar = 1;
}

// Executes `plan` on `line` once and checks every job ends when the plan says.
void check_execution_exact(const sim::LineDef& line, const LinePlan& plan) {
  sim::RunDef run;
  run.replications = 2;
  run.threads = 1;
  const auto reps = sim::run_plan_experiment(line, run, plan_for_sim(line, plan));
  for (const auto& rep : reps) {
    REQUIRE(rep.complete);
    for (size_t j = 0; j < plan.jobs.size(); ++j) {
      CAPTURE(j);
      CHECK(rep.job_end[j] == plan.jobs[j].ops.back().end);  // exactly: same additions in the same order
    }
    CHECK(rep.line.finished == plan.jobs.size());
  }
}

}  // namespace

TEST_CASE("ft06 as a line: the planner reaches the proven optimum 55, and the simulator keeps it exactly") {
  const auto sc = load("tests/optimize/ft06_line.yaml");
  PlanOptions opt;
  opt.iterations = 300000;
  opt.threads = 2;
  auto plan = plan_orders(sc.line, sc.orders, opt);
  REQUIRE(plan.ok());
  CHECK(plan->makespan == 55);
  CHECK(plan->lower_bound <= 55);
  CHECK(check_plan(sc.line, sc.orders, *plan) == "");
  check_execution_exact(sc.line, *plan);
}

// 30 random lines (`vary` adds to each), each planned for both objectives: every plan valid, above
// its bound and executed at exactly its times; `seen` looks at each plan.
template <typename Vary, typename Seen>
void random_lines_planned_exactly(uint64_t seed, Vary vary, Seen seen) {
  sim::Rng rng(seed);
  for (int trial = 0; trial < 30; ++trial) {
    CAPTURE(trial);
    sim::LineDef line;
    std::vector<sim::OrderDef> orders;
    random_line(rng, line, orders);
    vary(rng, line);
    REQUIRE(sim::check_line(line) == "");
    for (auto objective : {PlanObjective::kMakespan, PlanObjective::kWeightedTardiness}) {
      PlanOptions opt;
      opt.objective = objective;
      opt.iterations = 3000;
      opt.threads = 1;
      opt.seed = static_cast<uint64_t>(trial);
      auto plan = plan_orders(line, orders, opt);
      REQUIRE(plan.ok());
      CHECK(check_plan(line, orders, *plan) == "");
      CHECK(plan->makespan >= plan->lower_bound - 1e-9);
      seen(line, *plan);
      check_execution_exact(line, *plan);
    }
  }
}

TEST_CASE("Random flexible lines: every plan is valid, above its bound, and executed at exactly its times") {
  random_lines_planned_exactly(11, [](sim::Rng&, sim::LineDef&) {}, [](const sim::LineDef&, const LinePlan&) {});
}

TEST_CASE("Random flexible lines with changeovers and shifts: plans valid, executed at exactly their times") {
  int with_setups = 0, on_shift_breaks = 0;
  random_lines_planned_exactly(23, add_setups_and_calendars, [&](const sim::LineDef& line, const LinePlan& plan) {
    for (const auto& job : plan.jobs)
      for (const auto& op : job.ops) {
        with_setups += op.setup > 0;
        // An operation that spans off time: its end minus its start exceeds its working time.
        on_shift_breaks += op.end - op.start > line.stations[op.station].process[job.product].mean() + 1e-9;
      }
  });
  // The cases the test is about happened.
  CHECK(with_setups > 10);
  CHECK(on_shift_breaks > 20);
}

TEST_CASE("check_plan refuses a plan that leaves out a changeover or times an operation through a break") {
  sim::LineDef line;
  line.name = "two products on one machine";
  sim::StationDef st;
  st.name = "m";
  st.process = {sim::constant(2), sim::constant(3)};
  st.setups = {sim::constant(0), sim::constant(5), sim::constant(1), sim::constant(0)};
  line.stations.push_back(st);
  for (const char* name : {"a", "b"}) {
    sim::ProductDef pd;
    pd.name = name;
    pd.route = {static_cast<sim::StationId>(0)};
    line.products.push_back(pd);
  }
  line.calendars = {sim::CalendarDef{"day", 10, {{0, 6}}, {}}};
  line.calendar = 0;
  add_unused_source(line);
  REQUIRE(sim::check_line(line) == "");
  std::vector<sim::OrderDef> orders = {{"A", static_cast<sim::ProductId>(0), 1, 0, sim::kInf, 1},
                                       {"B", static_cast<sim::ProductId>(1), 1, 0, sim::kInf, 1}};
  PlanOptions opt;
  opt.iterations = 200;
  opt.threads = 1;
  auto plan = plan_orders(line, orders, opt);
  REQUIRE(plan.ok());
  REQUIRE(check_plan(line, orders, *plan) == "");
  // a then b: 2, a changeover of 5 and 3 of b make 10 of working time, 6 a day: b ends at 14.
  // b then a: 3, 1 and 2 make 6: a ends at 6, the end of the first day. The planner takes that.
  CHECK(plan->makespan == 6);
  check_execution_exact(line, *plan);
  auto no_setup = *plan;  // the changeover left out
  for (auto& job : no_setup.jobs)
    if (job.ops[0].setup > 0) job.ops[0].setup = 0;
  CHECK(check_plan(line, orders, no_setup).find("changeover") != std::string::npos);
  // Operation b placed at 5, as if the break at 6 did not stop it: it must end at 13, not 8.
  auto through = *plan;
  for (auto& job : through.jobs)
    if (job.product == 1) job.ops[0].start = 5, job.ops[0].end = 8;
  CHECK(check_plan(line, orders, through) != "");
}

TEST_CASE("Under a time limit the search reads its clock before every decode, from the call on") {
  const auto sc = load("scenarios/machining_orders.yaml");
  // A clock that advances 10 ms at each reading: a limit of 1 s leaves room for at most 100.
  std::atomic<int64_t> readings{0};
  PlanOptions opt;
  opt.threads = 1;
  opt.time_limit_s = 1;
  opt.clock = [&] { return 0.01 * double(readings++); };
  auto plan = plan_orders(sc.line, sc.orders, opt);
  REQUIRE(plan.ok());
  CHECK(check_plan(sc.line, sc.orders, *plan) == "");
  CHECK(plan->iterations > 0);
  CHECK(plan->iterations < 100);  // the clock was read every 128 iterations: 128 at the least
  CHECK(readings.load() <= 102);  // and it stops at the first reading past the limit

  // A clock past the limit once the first plan is decoded: that plan, and no more decoding (the
  // first plans of a large order book took seconds at a limit of 1 s, and 50 more to set the
  // temperature before the first look at the clock).
  readings = 0;
  opt.clock = [&] { return readings++ < 3 ? 0.0 : 1e9; };
  opt.threads = 2;
  auto first = plan_orders(sc.line, sc.orders, opt);
  REQUIRE(first.ok());
  CHECK(check_plan(sc.line, sc.orders, *first) == "");
  CHECK(first->iterations == 0);
  CHECK(readings.load() <= 1 + 2 * 3);  // the start, then per thread around its first plan and once after
}

TEST_CASE("Orders released at 1e8 are planned like orders released at 0, shifted") {
  // The machining cell's process times are means such as 13/3, which 1e8 + 13/3 rounds: the plan
  // check compared end - start with the duration and called such plans invalid.
  const auto sc = load("scenarios/machining_orders.yaml");
  for (double shift : {1e8, 1e11}) {
    CAPTURE(shift);
    auto orders = sc.orders;
    for (auto& o : orders) {
      o.release += shift;
      o.due += shift;
    }
    PlanOptions opt;
    opt.iterations = 2000;
    opt.threads = 1;
    auto plan = plan_orders(sc.line, orders, opt);
    REQUIRE(plan.ok());
    CHECK(check_plan(sc.line, orders, *plan) == "");
    auto at_zero = plan_orders(sc.line, sc.orders, opt);
    REQUIRE(at_zero.ok());
    CHECK(plan->makespan - shift == doctest::Approx(at_zero->makespan).epsilon(0.05));
    for (const auto& job : plan->jobs)
      for (const auto& op : job.ops) CHECK(op.start >= shift);
  }
}

TEST_CASE("check_plan refuses broken plans") {
  const auto sc = load("tests/optimize/ft06_line.yaml");
  PlanOptions opt;
  opt.iterations = 2000;
  opt.threads = 1;
  auto plan = plan_orders(sc.line, sc.orders, opt);
  REQUIRE(plan.ok());
  REQUIRE(check_plan(sc.line, sc.orders, *plan) == "");
  auto early = *plan;  // an operation before its predecessor ends
  early.jobs[0].ops[1].start -= 1;
  early.jobs[0].ops[1].end -= 1;
  CHECK(check_plan(sc.line, sc.orders, early) != "");
  auto wrong_machine = *plan;
  wrong_machine.jobs[0].ops[0].machine = (wrong_machine.jobs[0].ops[0].machine + 1) % 6;
  CHECK(check_plan(sc.line, sc.orders, wrong_machine) != "");
  // A job's last operation moved later, onto another operation of its machine.
  bool tried = false;
  for (size_t j = 0; j < plan->jobs.size() && !tried; ++j) {
    const PlannedOp last = plan->jobs[j].ops.back();
    for (size_t i = 0; i < plan->jobs.size() && !tried; ++i)
      for (const auto& other : plan->jobs[i].ops)
        if (i != j && other.machine == last.machine && other.start > last.start && !tried) {
          auto overlap = *plan;
          overlap.jobs[j].ops.back().start = other.start;
          overlap.jobs[j].ops.back().end = other.start + (last.end - last.start);
          CHECK(check_plan(sc.line, sc.orders, overlap).find("overlap") != std::string::npos);
          tried = true;
        }
  }
  CHECK(tried);
  auto claimed = *plan;
  claimed.makespan -= 1;
  CHECK(check_plan(sc.line, sc.orders, claimed) != "");
}

TEST_CASE("Weighted tardiness on one machine: the planner finds the brute-force optimum") {
  sim::Rng rng(5);
  for (int trial = 0; trial < 10; ++trial) {
    CAPTURE(trial);
    sim::LineDef line;
    line.name = "one machine";
    sim::StationDef st;
    st.name = "m";
    st.buffer = sim::kUnlimited;
    line.stations.push_back(st);
    std::vector<double> p;
    for (int j = 0; j < 5; ++j) {
      sim::ProductDef pd;
      pd.name = "p" + std::to_string(j);
      pd.route = {static_cast<sim::StationId>(0)};
      line.products.push_back(pd);
      p.push_back(double(1 + static_cast<int>(rng.uniform() * 9)));
      line.stations[0].process.push_back(sim::constant(p.back()));
    }
    add_unused_source(line);
    std::vector<sim::OrderDef> orders;
    for (int j = 0; j < 5; ++j) {
      sim::OrderDef o;
      o.name = "o" + std::to_string(j);
      o.product = static_cast<sim::ProductId>(j);
      o.due = double(static_cast<int>(rng.uniform() * 25));
      o.weight = double(1 + static_cast<int>(rng.uniform() * 4));
      orders.push_back(o);
    }
    std::vector<int> perm = {0, 1, 2, 3, 4};
    double best = INFINITY;
    do {
      double t = 0, wt = 0;
      for (int j : perm) {
        t += p[j];
        wt += orders[j].weight * std::max(0.0, t - orders[j].due);
      }
      best = std::min(best, wt);
    } while (std::next_permutation(perm.begin(), perm.end()));
    PlanOptions opt;
    opt.objective = PlanObjective::kWeightedTardiness;
    opt.iterations = 20000;
    opt.threads = 1;
    auto plan = plan_orders(line, orders, opt);
    REQUIRE(plan.ok());
    CHECK(plan->weighted_tardiness == doctest::Approx(best));
  }
}

TEST_CASE("A plan that ignores a full buffer deadlocks, and the run says so instead of hanging") {
  // Two jobs through a then b, where b has no buffer: a makes job 0 first, b wants job 1 first.
  sim::LineDef line;
  line.name = "deadlock";
  for (const char* n : {"a", "b"}) {
    sim::StationDef st;
    st.name = n;
    st.buffer = 0;
    st.process.push_back(sim::constant(1));
    line.stations.push_back(st);
  }
  sim::ProductDef pd;
  pd.name = "p";
  pd.route = {static_cast<sim::StationId>(0), static_cast<sim::StationId>(1)};
  line.products.push_back(pd);
  add_unused_source(line);
  sim::PlanDef plan;
  plan.jobs = {{static_cast<sim::ProductId>(0), 0}, {static_cast<sim::ProductId>(0), 0}};
  plan.sequences = {{0, 1}, {1, 0}};
  sim::RunDef run;
  run.replications = 1;
  const auto reps = sim::run_plan_experiment(line, run, plan);
  REQUIRE(reps.size() == 1);
  CHECK(!reps[0].complete);
  CHECK(std::isnan(reps[0].job_end[0]));
  plan.sequences = {{0, 1}, {0, 1}};  // the same order on both: it flows
  const auto ok = sim::run_plan_experiment(line, run, plan);
  CHECK(ok[0].complete);
  CHECK(ok[0].job_end[1] == 3);
}
