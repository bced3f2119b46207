// The planner's line against theory (issue 18): scrap, rework and per-product figures, each
// checked against a formula no one here chose, within the tolerances of check_theory.
#include <cmath>

#include "tests/sim/sim_test_util.hpp"

using namespace linetwin;
using linetwin::test::check_theory;
using linetwin::test::load_test_scenario;

TEST_CASE("Scrap is Poisson thinning: m2 after a scrapping m1 is an M/M/1 of rate lambda (1 - p)") {
  const auto sc = load_test_scenario("scrap_tandem.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double lambda = 0.8, p = 0.25, mu1 = 1.0, mu2 = 0.75;
  const double lambda2 = lambda * (1 - p);
  check_theory("throughput lambda (1 - p)", r.throughput, lambda2);
  check_theory("scrap lambda p", r.scrap, lambda * p);
  check_theory("m1 utilization", r.stations[0].utilization, lambda / mu1);
  check_theory("m2 utilization", r.stations[1].utilization, lambda2 / mu2);
  // Finished items spent an M/M/1 sojourn at each; scrapped ones only m1's.
  check_theory("lead time W1 + W2", r.lead_time, 1 / (mu1 - lambda) + 1 / (mu2 - lambda2));
  check_theory("WIP L1 + L2", r.wip, lambda / (mu1 - lambda) + lambda2 / (mu2 - lambda2));
  check_theory("m2 queue Lq", r.stations[1].queue, std::pow(lambda2 / mu2, 2) / (1 - lambda2 / mu2));
}

TEST_CASE("Rework at the same station: M/M/1 with Bernoulli feedback") {
  const auto sc = load_test_scenario("feedback_mm1.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double lambda = 0.5, mu = 1.0, q = 0.2;
  const double rho = lambda / (mu * (1 - q));
  check_theory("throughput", r.throughput, lambda);
  check_theory("utilization rho = lambda / (mu (1 - q))", r.stations[0].utilization, rho);
  check_theory("WIP L = rho / (1 - rho)", r.wip, rho / (1 - rho));
  check_theory("lead time W = L / lambda", r.lead_time, rho / (1 - rho) / lambda);
  CHECK(r.scrap.mean == 0.0);
}

TEST_CASE("Rework to an earlier station: a Jackson network with feedback") {
  const auto sc = load_test_scenario("feedback_tandem.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double lambda = 0.4, q = 0.2, mu1 = 1.0, mu2 = 0.8;
  const double each = lambda / (1 - q);  // the traffic equations: each station sees this
  const double rho1 = each / mu1, rho2 = each / mu2;
  const double l = rho1 / (1 - rho1) + rho2 / (1 - rho2);
  check_theory("throughput", r.throughput, lambda);
  check_theory("m1 utilization", r.stations[0].utilization, rho1);
  check_theory("m2 utilization", r.stations[1].utilization, rho2);
  check_theory("WIP L", r.wip, l);
  check_theory("lead time W = L / lambda", r.lead_time, l / lambda);
  check_theory("m1 queue", r.stations[0].queue, rho1 * rho1 / (1 - rho1));
}

TEST_CASE("Per product: throughput, scrap, lead time and WIP of two products through one M/M/1") {
  const auto sc = load_test_scenario("quality_mix.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double lambda = 0.8, mu = 1.0, p = 0.1, w = 1 / (mu - lambda);
  const double share[2] = {0.375, 0.625};
  REQUIRE(r.products.size() == 2);
  for (int k = 0; k < 2; ++k) {
    CAPTURE(k);
    const double lk = lambda * share[k];
    check_theory("product throughput lambda_p (1 - p)", r.products[k].throughput, lk * (1 - p));
    check_theory("product scrap lambda_p p", r.products[k].scrap, lk * p);
    check_theory("product lead time W", r.products[k].lead_time, w);
    check_theory("product WIP lambda_p W", r.products[k].wip, lk * w);
  }
  check_theory("line throughput", r.throughput, lambda * (1 - p));
  check_theory("line WIP", r.wip, lambda * w);
}

TEST_CASE("Scrap draws from a stream of its own: scrapping at the last station changes no machine's time") {
  // Common random numbers: scrap decided after service at the last station leaves every arrival,
  // process time and machine state as it was, bit for bit; only what counts as finished changes.
  auto plain = load_test_scenario("scrap_tandem.yaml", {{"stations.m1.scrap", "0"}});
  auto scrapping = load_test_scenario("scrap_tandem.yaml", {{"stations.m1.scrap", "0"}, {"stations.m2.scrap", "0.3"}});
  plain.run.horizon = scrapping.run.horizon = 20000;
  plain.run.replications = scrapping.run.replications = 3;
  const auto a = sim::run_experiment(plain.line, plain.run), b = sim::run_experiment(scrapping.line, scrapping.run);
  for (size_t i = 0; i < a.reps.size(); ++i) {
    CAPTURE(i);
    CHECK(a.reps[i].events == b.reps[i].events);
    CHECK(a.reps[i].created == b.reps[i].created);
    for (size_t s = 0; s < 2; ++s) {
      CHECK(a.reps[i].stations[s].utilization == b.reps[i].stations[s].utilization);
      CHECK(a.reps[i].stations[s].queue == b.reps[i].stations[s].queue);
    }
    CHECK(a.reps[i].wip == b.reps[i].wip);
    CHECK(b.reps[i].finished + b.reps[i].scrapped == a.reps[i].finished);
    CHECK(b.reps[i].scrapped > 0);
  }
}
