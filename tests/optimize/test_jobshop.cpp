// Job-shop scheduling against what no one here chose: proven optima of benchmark instances,
// brute force on small ones, and the validity of every schedule every method makes.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>

#include "optimize/disjunctive_graph.hpp"
#include "optimize/dispatch.hpp"
#include "optimize/jobshop.hpp"
#include "optimize/solve.hpp"
#include "sim/random.hpp"

using namespace linetwin;
using namespace linetwin::optimize;

namespace {

JobShop load(const std::string& name) {
  auto s = load_jobshop(std::string(LINETWIN_SOURCE_DIR) + "/tests/optimize/instances/" + name + ".txt");
  if (!s) FAIL(s.error().message());
  return *s;
}

JobShop random_shop(sim::Rng& rng, int jobs, int machines, int64_t max_duration = 20, int64_t min_duration = 1) {
  JobShop shop;
  shop.name = "random";
  shop.machines = machines;
  for (int j = 0; j < jobs; ++j) {
    std::vector<int> order(machines);
    for (int m = 0; m < machines; ++m) order[m] = m;
    for (int m = machines - 1; m > 0; --m) std::swap(order[m], order[static_cast<int>(rng.uniform() * (m + 1))]);
    std::vector<Operation> ops;
    for (int m : order)
      ops.push_back({m, min_duration + static_cast<int64_t>(rng.uniform() * double(max_duration - min_duration + 1))});
    shop.jobs.push_back(ops);
  }
  return shop;
}

// The optimum by enumerating every combination of machine sequences.
int64_t brute_force(const JobShop& shop) {
  const OpIndex ix(shop);
  std::vector<std::vector<int>> seq(shop.machines);
  for (int o = 0; o < ix.size(); ++o) seq[ix.machine[o]].push_back(o);
  for (auto& s : seq) std::sort(s.begin(), s.end());
  int64_t best = INT64_MAX;
  std::function<void(int)> rec = [&](int m) {
    if (m == shop.machines) {
      const Schedule s = schedule_from_sequences(shop, seq);
      if (!s.start.empty()) best = std::min(best, s.makespan);
      return;
    }
    do rec(m + 1);
    while (std::next_permutation(seq[m].begin(), seq[m].end()));
  };
  rec(0);
  return best;
}

}  // namespace

TEST_CASE("OR-Library files are read, and bad ones refused with their line") {
  const JobShop ft06 = load("ft06");
  CHECK(ft06.jobs.size() == 6);
  CHECK(ft06.machines == 6);
  CHECK(ft06.operation_count() == 36);
  CHECK(ft06.jobs[0][0].machine == 2);
  CHECK(ft06.jobs[0][0].duration == 1);
  CHECK(ft06.name == "ft06");
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"# only a comment\n", "header"},
      {"2 2\n0 1 1 2\n", "2 job lines"},
      {"1 2\n0 1 1\n", "odd count"},
      {"1 2\n0 1 5 2\n", "machine from 0 to 1"},
      {"1 2\n0 1 1 -2\n", "processing time"},
      {"1 2\n0 1 1 x\n", "'x'"},
      {"1 2\n0 1 1 2\n0 1 1 2\n", "got more"},
      {"0 2\n", "jobs"},
  };
  for (const auto& [text, expect] : bad) {
    CAPTURE(text);
    auto r = parse_jobshop(text, "bad.txt");
    REQUIRE(!r.ok());
    CHECK(r.error().message().find(expect) != std::string::npos);
    CHECK(r.error().message().find("bad.txt") != std::string::npos);
  }
  CHECK(parse_jobshop("1 2\n0 1 1 x\n", "bad.txt").error().line == 2);
}

TEST_CASE("check_schedule refuses broken schedules") {
  const JobShop shop = load("ft06");
  auto r = solve(shop, {"spt", 1, 0, 1, 1});
  REQUIRE(r.ok());
  Schedule s = r->schedule;
  CHECK(check_schedule(shop, s).empty());
  Schedule late = s;
  late.makespan += 1;
  CHECK(check_schedule(shop, late).find("makespan") != std::string::npos);
  Schedule order = s;
  order.start[0][1] = order.start[0][0];  // second operation starts with the first
  CHECK(!check_schedule(shop, order).empty());
  Schedule overlap = s;  // two jobs' first operations on machine 2 at once
  overlap.start[2][0] = overlap.start[0][0];
  CHECK(!check_schedule(shop, overlap).empty());
}

/// Every method's schedule of `shop` is valid and never below the lower bound.
static void check_every_method(const JobShop& shop, int64_t iterations, uint32_t threads, uint64_t seed) {
  const int64_t lb = lower_bound(shop);
  for (const auto& method : method_names()) {
    CAPTURE(method);
    SolveOptions opt;
    opt.method = method;
    opt.iterations = iterations;
    opt.threads = threads;
    opt.seed = seed;
    auto r = solve(shop, opt);
    REQUIRE(r.ok());
    CHECK(check_schedule(shop, r->schedule) == "");
    CHECK(r->schedule.makespan >= lb);
  }
}

TEST_CASE("Every method makes valid schedules on random instances, never below the lower bound") {
  sim::Rng rng(2024);
  for (int trial = 0; trial < 40; ++trial) {
    CAPTURE(trial);
    const int jobs = 2 + static_cast<int>(rng.uniform() * 7), machines = 1 + static_cast<int>(rng.uniform() * 6);
    check_every_method(random_shop(rng, jobs, machines), 2000, 2, static_cast<uint64_t>(trial));
  }
}

TEST_CASE("Operations of zero duration (as in orb07) break no method") {
  // Zero durations let two paths of equal length join two operations, so a critical swap can
  // make a cycle, and a Giffler-Thompson conflict set can miss the operation that ends first.
  sim::Rng rng(99);
  for (int trial = 0; trial < 30; ++trial) {
    CAPTURE(trial);
    check_every_method(random_shop(rng, 3 + trial % 6, 2 + trial % 5, 3, 0), 3000, 1, 1);  // durations 0..3
  }
}

TEST_CASE("check_schedule sees an overlap behind an operation of zero duration") {
  JobShop shop;
  shop.machines = 1;
  shop.jobs = {{{0, 10}}, {{0, 0}}, {{0, 10}}};
  Schedule s{{{0}, {5}, {5}}, 15};
  CHECK(check_schedule(shop, s).find("overlap") != std::string::npos);
  Schedule ok{{{0}, {10}, {10}}, 20};
  CHECK(check_schedule(shop, ok).empty());
}

TEST_CASE("Tabu search finds the brute-force optimum of small instances") {
  sim::Rng rng(7);
  for (int trial = 0; trial < 12; ++trial) {
    const JobShop shop = random_shop(rng, 3, 3 + trial % 2);  // (3!)^3 or (3!)^4 combinations
    CAPTURE(trial);
    SolveOptions opt;
    opt.iterations = 20000;
    opt.threads = 1;
    auto r = solve(shop, opt);
    REQUIRE(r.ok());
    CHECK(r->schedule.makespan == brute_force(shop));
  }
}

TEST_CASE("Moves within a machine sequence: Balas-Vazacopoulos acyclicity, exact undo, Taillard's estimate") {
  // For every pair u before v on a machine: moving u after v, or v before u, must keep the graph
  // acyclic whenever the Balas-Vazacopoulos condition says so; the new makespan must be that of
  // the schedule the sequences give; and for neighbours the estimate is Taillard's.
  sim::Rng rng(31);
  int checked_acyclic = 0, refused = 0;
  for (int trial = 0; trial < 20; ++trial) {
    CAPTURE(trial);
    const JobShop shop = random_shop(rng, 3 + trial % 5, 2 + trial % 4);
    const auto start = dispatch(shop, Rule::kRandom, static_cast<uint64_t>(trial));
    detail::Graph g(shop, start);
    REQUIRE(g.evaluate());
    const int64_t c0 = g.makespan();
    for (const auto& seq : start)
      for (size_t i = 0; i < seq.size(); ++i)
        for (size_t k = i + 1; k < seq.size(); ++k)
          for (bool forward : {true, false}) {
            const int u = seq[i], v = seq[k];
            const int s = g.job_next(u), p = g.job_prev(v);
            const bool sure = forward ? (s < 0 || g.tail_start(v) >= g.tail_start(s))
                                      : (p < 0 || g.head_end(u) >= g.head_end(p));
            if (k == i + 1 && forward) CHECK(g.estimate_insert(u, v, true) == g.estimate_swap(u, v));
            const bool ok = g.try_insert(u, v, forward);
            refused += !ok;
            if (sure) {
              CHECK(ok);
              ++checked_acyclic;
            }
            if (ok) {
              const auto moved = g.sequences(shop.machines);
              CHECK(schedule_from_sequences(shop, moved).makespan == g.makespan());
              auto expect = seq;  // the machine's new order
              const auto from = expect.begin() + static_cast<std::ptrdiff_t>(i), to = expect.begin() + static_cast<std::ptrdiff_t>(k);
              if (forward) std::rotate(from, from + 1, to + 1);
              else std::rotate(from, to, to + 1);
              CHECK(moved[static_cast<size_t>(g.machine(u))] == expect);
              g.set_sequences(start);  // back to the start
              REQUIRE(g.evaluate());
            }
            CHECK(g.makespan() == c0);
            CHECK(g.sequences(shop.machines) == start);
          }
  }
  CHECK(checked_acyclic > 100);
  CHECK(refused > 0);  // some moves do make cycles: the condition is not vacuous
}

TEST_CASE("Lower bounds never exceed the proven optima") {
  const std::map<std::string, int64_t> optimum = {{"ft06", 55}, {"la01", 666}, {"la02", 655},
                                                  {"la03", 597}, {"la04", 590}, {"la05", 593}};
  for (const auto& [name, opt] : optimum) {
    CAPTURE(name);
    const int64_t lb = lower_bound(load(name));
    CHECK(lb <= opt);
    CHECK(lb > 0);
  }
}

TEST_CASE("ft06 reaches 55 and la01-la05 their proven optima") {
  const std::map<std::string, int64_t> optimum = {{"ft06", 55}, {"la01", 666}, {"la02", 655},
                                                  {"la03", 597}, {"la04", 590}, {"la05", 593}};
  for (const auto& [name, opt] : optimum) {
    CAPTURE(name);
    SolveOptions o;
    o.iterations = 300000;  // well under a second each; a bound that does not depend on the machine
    o.threads = 2;
    auto r = solve(load(name), o);
    REQUIRE(r.ok());
    CHECK(r->schedule.makespan == opt);
  }
}

TEST_CASE("The same seed and thread count give the same schedule") {
  const JobShop shop = load("la03");
  SolveOptions o;
  o.iterations = 20000;
  o.threads = 2;
  o.seed = 5;
  auto a = solve(shop, o), b = solve(shop, o);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->schedule.start == b->schedule.start);
  CHECK(a->iterations == b->iterations);
}

TEST_CASE("A critical path runs from time 0 to the makespan without a gap") {
  const JobShop shop = load("ft06");
  auto r = solve(shop, {"mwkr", 1, 0, 1, 1});
  REQUIRE(r.ok());
  const auto crit = critical_operations(shop, r->schedule);
  const OpIndex ix(shop);
  // Some critical operation starts at 0, some ends at the makespan, and every critical one that
  // does not start at 0 follows a critical one that ends when it starts.
  bool at_zero = false, at_end = false;
  for (int o = 0; o < ix.size(); ++o) {
    if (!crit[o]) continue;
    const int64_t start = r->schedule.start[ix.job[o]][ix.step[o]];
    at_zero |= start == 0;
    at_end |= start + ix.duration[o] == r->schedule.makespan;
    bool joined = start == 0;
    for (int p = 0; p < ix.size() && !joined; ++p)
      joined = crit[p] && r->schedule.start[ix.job[p]][ix.step[p]] + ix.duration[p] == start &&
               (ix.machine[p] == ix.machine[o] || (ix.job[p] == ix.job[o] && ix.step[p] + 1 == ix.step[o]));
    CHECK(joined);
  }
  CHECK(at_zero);
  CHECK(at_end);
}
