// The simulator against queueing theory: every figure here comes from a formula no one here chose.
#include <cmath>

#include "tests/sim/sim_test_util.hpp"

using namespace linetwin;
using linetwin::test::check_theory;
using linetwin::test::load_test_scenario;

namespace {

double factorial(int n) { return n <= 1 ? 1.0 : n * factorial(n - 1); }

/// Erlang C: the probability that an arrival waits in an M/M/c queue with offered load a.
double erlang_c(int c, double a) {
  double sum = 0;
  for (int k = 0; k < c; ++k) sum += std::pow(a, k) / factorial(k);
  const double top = std::pow(a, c) / factorial(c) * c / (c - a);
  return top / (sum + top);
}

}  // namespace

TEST_CASE("M/M/1: lead time, WIP, queue and utilization") {
  const auto sc = load_test_scenario("mm1.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double lambda = 0.8, mu = 1.0, rho = lambda / mu;
  check_theory("throughput", r.throughput, lambda);
  check_theory("lead time W", r.lead_time, 1 / (mu - lambda));
  check_theory("WIP L", r.wip, rho / (1 - rho));
  check_theory("queue Lq", r.stations[0].queue, rho * rho / (1 - rho));
  check_theory("utilization", r.stations[0].utilization, rho);
}

TEST_CASE("M/M/c: Erlang C waiting time with three machines") {
  const auto sc = load_test_scenario("mmc.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const int c = 3;
  const double lambda = 2.4, mu = 1.0, a = lambda / mu;
  const double wq = erlang_c(c, a) / (c * mu - lambda);
  check_theory("lead time W", r.lead_time, wq + 1 / mu);
  check_theory("queue Lq", r.stations[0].queue, lambda * wq);
  check_theory("WIP L", r.wip, lambda * (wq + 1 / mu));
  check_theory("utilization", r.stations[0].utilization, a / c);
}

TEST_CASE("M/D/1: Pollaczek-Khinchine") {
  const auto sc = load_test_scenario("md1.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double lambda = 0.8, d = 1.0, rho = lambda * d;
  const double wq = rho * d / (2 * (1 - rho));
  check_theory("lead time W", r.lead_time, wq + d);
  check_theory("queue Lq", r.stations[0].queue, lambda * wq);
}

TEST_CASE("M/M/1/K: blocking probability, loss rate and throughput") {
  const auto sc = load_test_scenario("mm1k.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double lambda = 1.0, mu = 1.25, rho = lambda / mu;
  const int k = 5;  // one machine and four buffer places
  auto p = [&](int n) { return (1 - rho) * std::pow(rho, n) / (1 - std::pow(rho, k + 1)); };
  double l = 0;
  for (int n = 0; n <= k; ++n) l += n * p(n);
  check_theory("loss rate", r.lost, lambda * p(k));
  check_theory("throughput", r.throughput, lambda * (1 - p(k)));
  check_theory("WIP L", r.wip, l);
  check_theory("lead time W", r.lead_time, l / (lambda * (1 - p(k))));
}

TEST_CASE("Two M/M/1 in tandem: Jackson network") {
  const auto sc = load_test_scenario("tandem.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double lambda = 0.5, mu1 = 1.0, mu2 = 0.8;
  check_theory("lead time W", r.lead_time, 1 / (mu1 - lambda) + 1 / (mu2 - lambda));
  check_theory("WIP L", r.wip, lambda / (mu1 - lambda) + lambda / (mu2 - lambda));
  check_theory("m1 utilization", r.stations[0].utilization, lambda / mu1);
  check_theory("m2 utilization", r.stations[1].utilization, lambda / mu2);
}

TEST_CASE("Two exponential machines with B places between them: throughput (B+2)/(B+3)") {
  for (int b : {0, 1, 3}) {
    CAPTURE(b);
    const auto sc = load_test_scenario("two_machine.yaml", {{"stations.m2.buffer", std::to_string(b)}});
    const auto r = sim::run_experiment(sc.line, sc.run);
    check_theory("throughput", r.throughput, (b + 2.0) / (b + 3.0));
    // Machine 1 is never starved (saturated source) and machine 2 never blocked (last station).
    CHECK(r.stations[0].starved.mean == 0.0);
    CHECK(r.stations[1].blocked.mean == 0.0);
  }
}

TEST_CASE("A saturated machine with breakdowns: efficiency MTBF / (MTBF + MTTR)") {
  const auto sc = load_test_scenario("breakdown.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double mtbf = 50, mttr = 5, process = 1;
  check_theory("throughput", r.throughput, mtbf / (mtbf + mttr) / process);
  check_theory("down fraction", r.stations[0].down, mttr / (mtbf + mttr));
  check_theory("busy fraction", r.stations[0].utilization, mtbf / (mtbf + mttr));
}

TEST_CASE("A deterministic line runs at its bottleneck's rate") {
  const auto sc = load_test_scenario("deterministic.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  // Counting whole items in a window of length H is off by at most one item.
  const double rate = 1 / 1.5, h = sc.run.horizon;
  for (const auto& rep : r.reps) CHECK(std::fabs(rep.throughput - rate) <= 1.0 / h);
  CHECK(r.stations[1].utilization.mean == doctest::Approx(1.0).epsilon(1e-3));
  // Upstream of the bottleneck is blocked, downstream starved, in the ratios of the rates.
  CHECK(r.stations[0].utilization.mean == doctest::Approx(1.0 / 1.5).epsilon(1e-3));
  CHECK(r.stations[2].utilization.mean == doctest::Approx(1.2 / 1.5).epsilon(1e-3));
  // Deterministic: every replication gives the same throughput.
  CHECK(r.throughput.sd == doctest::Approx(0.0));
}

TEST_CASE("A product mix through one server is an M/G/1") {
  const auto sc = load_test_scenario("mg1_mix.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double lambda = 0.5;
  const double es = 0.6 * 1.0 + 0.4 * 2.0;             // E[S]
  const double es2 = 0.6 * 2 * 1.0 * 1.0 + 0.4 * 4.0;  // E[S^2]: 2 m^2 for exponential, d^2 constant
  const double rho = lambda * es;
  const double wq = lambda * es2 / (2 * (1 - rho));
  check_theory("lead time W", r.lead_time, wq + es);
  check_theory("queue Lq", r.stations[0].queue, lambda * wq);
  check_theory("utilization", r.stations[0].utilization, rho);
}
