// The planner's line against theory (issue 18): scrap, rework and per-product figures, each
// checked against a formula no one here chose, within the tolerances of check_theory.
#include <cmath>
#include <vector>

#include "sim/calendar.hpp"
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

TEST_CASE("Random changeovers: the mean cycle is E[p] + (1 - sum p_i^2) E[S]") {
  // A saturated machine: every item starts when the last one ends, so the time per item is its
  // operation plus a setup whenever its product differs from the previous one's (i.i.d. mix).
  const auto sc = load_test_scenario("changeover.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double share[3] = {0.5, 0.3, 0.2}, process = 1.0, setup = 0.5;
  const double change = 1 - (0.25 + 0.09 + 0.04);
  const double cycle = process + change * setup;
  check_theory("throughput 1 / cycle", r.throughput, 1 / cycle);
  check_theory("busy E[p] / cycle", r.stations[0].utilization, process / cycle);
  check_theory("setup (1 - sum p^2) E[S] / cycle", r.stations[0].setup, change * setup / cycle);
  for (int k = 0; k < 3; ++k) {
    CAPTURE(k);
    check_theory("product throughput p_k / cycle", r.products[k].throughput, share[k] / cycle);
  }
  // OEE: the ideal time of the (all good) items made over the planned time, here the busy share.
  check_theory("OEE", r.stations[0].oee, process / cycle);
  // Power as the state-weighted mean: 7.5 kW busy, 5 kW in setup, 1.2 kW otherwise (never here).
  check_theory("power", r.power, (7.5 * process + 5 * change * setup) / cycle);
  CHECK(r.stations[0].starved.mean < 1e-12);
}

TEST_CASE("Changeovers between lots: a change only at a lot's first item, (1 - sum p_i^2) E[S] / lot per item") {
  const auto sc = load_test_scenario("changeover_lots.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double share[3] = {0.5, 0.3, 0.2}, process = 1.0, setup = 0.5, lot = 20;
  const double change = 1 - (0.25 + 0.09 + 0.04);
  const double cycle = process + change * setup / lot;
  check_theory("throughput 1 / cycle", r.throughput, 1 / cycle);
  check_theory("setup (1 - sum p^2) E[S] / lot / cycle", r.stations[0].setup, change * setup / lot / cycle);
  for (int k = 0; k < 3; ++k) {
    CAPTURE(k);
    check_theory("product throughput p_k / cycle", r.products[k].throughput, share[k] / cycle);
  }
}

namespace {

// The product of every item released, in order (placed items of a state included).
struct Releases final : sim::Observer {
  std::vector<uint32_t> products;
  void on_event(const sim::LineEvent& e) override {
    if (e.kind == sim::EventKind::kRelease) products.push_back(e.product);
  }
};

}  // namespace

TEST_CASE("A source's lots are runs of exactly lot items of one product") {
  auto sc = load_test_scenario("changeover_lots.yaml");
  sc.run.replications = 1;
  sim::LineSim line(sc.line, sc.run, 0);
  Releases runs;
  line.add_observer(&runs);
  line.run_until(5000);
  REQUIRE(runs.products.size() > 1000);
  // Release k belongs to lot k / 20: all of a lot's items share its product, and some consecutive
  // lots differ (the draw is not stuck).
  size_t changes = 0;
  for (size_t k = 1; k < runs.products.size(); ++k) {
    if (k % 20 != 0) CHECK(runs.products[k] == runs.products[k - 1]);
    else changes += runs.products[k] != runs.products[k - 1];
  }
  CHECK(changes > 0);
}

TEST_CASE("A state taken in the middle of a lot starts its run with the rest of that lot") {
  auto sc = load_test_scenario("changeover_lots.yaml");
  sc.run.replications = 1;
  sim::LineSim a(sc.line, sc.run, 0);
  Releases before;
  a.add_observer(&before);
  a.run_until(1234.5);
  const sim::LineState st = a.state();
  REQUIRE(st.lots.size() == 1);
  REQUIRE(!before.products.empty());
  // The state's lot is the one the releases so far are in: its product is the last released, and
  // what is left completes the lot of 20 the run's releases are counted in.
  CHECK(st.lots[0].left == (20 - before.products.size() % 20) % 20);
  if (st.lots[0].left > 0) CHECK(st.lots[0].product == before.products.back());
  CHECK(sim::check_state(sc.line, st).empty());
  sim::LineSim b(sc.line, sc.run, 1);
  Releases after;
  b.add_observer(&after);
  b.start_from(st);
  // Placing the state's items releases them again; the source's own releases follow.
  size_t placed = st.transit.size();
  for (const auto& ps : st.stations) {
    placed += ps.queue.size();
    for (const auto& m : ps.machines) placed += sim::holds_item(m);
  }
  REQUIRE(after.products.size() >= placed);
  after.products.erase(after.products.begin(), after.products.begin() + static_cast<std::ptrdiff_t>(placed));
  b.run_until(200);
  REQUIRE(after.products.size() > st.lots[0].left + 20);
  for (uint32_t k = 0; k < st.lots[0].left; ++k) CHECK(after.products[k] == st.lots[0].product);
  // Then whole lots of 20 again.
  for (size_t k = st.lots[0].left + 1; k < after.products.size(); ++k)
    if ((k - st.lots[0].left) % 20 != 0) CHECK(after.products[k] == after.products[k - 1]);
  // A lot that says it has more left than its size is refused.
  sim::LineState bad = st;
  bad.lots[0].left = 20;
  CHECK(!sim::check_state(sc.line, bad).empty());
}

TEST_CASE("A setup matrix: the mean setup per item is sum over pairs p_i p_j s_ij") {
  const auto sc = load_test_scenario("changeover_matrix.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double pa = 0.6, pb = 0.4;
  const double process = pa * 1.0 + pb * 2.0, setup = pa * pb * 3 + pb * pa * 1;
  const double cycle = process + setup;
  check_theory("throughput", r.throughput, 1 / cycle);
  check_theory("setup share", r.stations[0].setup, setup / cycle);
  check_theory("product A throughput", r.products[0].throughput, pa / cycle);
  check_theory("product B throughput", r.products[1].throughput, pb / cycle);
  // Little's law on one machine holding one item at a time: A's lead time is its share of the
  // cycle the machine spends on it, setup included.
  check_theory("WIP 1 (the machine always holds one)", r.wip, 1.0);
}

TEST_CASE("Power is the state-weighted mean of the machines' draws, energy per item its ratio to throughput") {
  const auto sc = load_test_scenario("power_mm1.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double rho = 0.8, busy_kw = 7.5, idle_kw = 1.2;
  check_theory("power rho busy + (1 - rho) idle", r.power, rho * busy_kw + (1 - rho) * idle_kw);
  check_theory("energy per item power / (items per hour)", r.energy_per_item,
               (rho * busy_kw + (1 - rho) * idle_kw) / (0.8 * 60));
  // The station's OEE with no scrap, no off time and no maintenance: its ideal work over the window.
  check_theory("OEE rho", r.stations[0].oee, rho);
  // Per replication, power is exactly the state fractions weighted by the draws.
  for (const auto& rep : r.reps)
    CHECK(rep.power == doctest::Approx(rep.stations[0].utilization * busy_kw +
                                       (1 - rep.stations[0].utilization) * idle_kw).epsilon(1e-12));
}

TEST_CASE("OEE counts quality: a station that scraps a quarter of an M/M/1's items has OEE rho (1 - p)") {
  const auto sc = load_test_scenario("scrap_tandem.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double lambda = 0.8, p = 0.25, mu1 = 1.0;
  check_theory("m1 OEE", r.stations[0].oee, lambda / mu1 * (1 - p));
}

namespace {

// The stationary law of the finite-source M/M/c//N (machine interference): N machines, each
// failing at rate lambda while up, repaired at rate mu by c repairmen.
std::vector<double> interference_law(int n_machines, int c, double lambda, double mu) {
  std::vector<double> p(n_machines + 1);
  p[0] = 1;
  for (int n = 1; n <= n_machines; ++n) p[n] = p[n - 1] * (n_machines - n + 1) * lambda / (std::min(n, c) * mu);
  double total = 0;
  for (double x : p) total += x;
  for (double& x : p) x /= total;
  return p;
}

}  // namespace

TEST_CASE("Machine interference: N machines sharing c repairmen is the finite-source M/M/c//N") {
  const auto sc = load_test_scenario("interference.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const int n = 5, c = 2;
  const auto p = interference_law(n, c, 1 / 10.0, 1 / 4.0);
  double down = 0, repairing = 0;
  for (int k = 0; k <= n; ++k) down += k * p[k], repairing += std::min(k, c) * p[k];
  check_theory("down fraction E[n] / N", r.stations[0].down, down / n);
  check_theory("busy fraction 1 - E[n] / N", r.stations[0].utilization, 1 - down / n);
  check_theory("technicians' utilization E[min(n, c)] / c", r.workers[0], repairing / c);
  check_theory("throughput (N - E[n]) / E[p]", r.throughput, (n - down) / 1.0);
}

TEST_CASE("Two operators for three machines: the station is an M/M/2") {
  const auto sc = load_test_scenario("operators_mm2.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double lambda = 1.5, mu = 1.0, a = lambda / mu, rho = a / 2;
  // Erlang C for c = 2: P(wait) = a^2 / (2 (1 - rho)) / (1 + a + a^2 / (2 (1 - rho))).
  const double tail = a * a / (2 * (1 - rho));
  const double wait = tail / (1 + a + tail);
  const double w = wait / (2 * mu - lambda) + 1 / mu;
  check_theory("throughput", r.throughput, lambda);
  check_theory("operators' utilization lambda / (2 mu)", r.workers[0], rho);
  check_theory("lead time, the M/M/2 sojourn", r.lead_time, w);
  check_theory("WIP lambda W", r.wip, lambda * w);
  // Machines: busy 1.5 of 3 on average; the rest of their time starved or holding a waiting item.
  check_theory("machines busy lambda / (3 mu)", r.stations[0].utilization, lambda / 3);
}

TEST_CASE("Age replacement with Weibull failures: the renewal-reward availability") {
  const auto sc = load_test_scenario("age_replacement.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  // E[min(X, T)] = integral of the survival function exp(-(t / scale)^shape) from 0 to T, by
  // Simpson's rule (its error here is far below the simulation's).
  const double shape = 3, scale = 100, T = 50, ttr = 10, duration = 2, p = 1.0 / 16;
  auto survival = [&](double t) { return std::exp(-std::pow(t / scale, shape)); };
  const int n = 10000;
  double integral = survival(0) + survival(T);
  for (int k = 1; k < n; ++k) integral += (k % 2 ? 4 : 2) * survival(T * k / n);
  integral *= T / n / 3;
  const double fails = 1 - survival(T);
  const double cycle = integral + fails * ttr + (1 - fails) * duration;
  check_theory("busy fraction E[min(X, T)] / E[cycle]", r.stations[0].utilization, integral / cycle);
  check_theory("down fraction P(X < T) ttr / E[cycle]", r.stations[0].down, fails * ttr / cycle);
  check_theory("maintenance fraction P(X >= T) duration / E[cycle]", r.stations[0].maintenance,
               (1 - fails) * duration / cycle);
  check_theory("throughput, busy fraction / p", r.throughput, integral / cycle / p);
  // One technician repairs and maintains the one machine: busy whenever it is down or maintained.
  check_theory("technician's utilization", r.workers[0], (fails * ttr + (1 - fails) * duration) / cycle);
}

TEST_CASE("Maintenance on a deterministic machine: three operations of 1, then 0.5 of maintenance") {
  sim::LineDef line;
  line.products.push_back({"A", {sim::StationId{0}}});
  line.sources.push_back({"feed", {{sim::ProductId{0}, 1}}, sim::constant(1), true});
  sim::StationDef st;
  st.name = "press";
  st.process = {sim::constant(1)};
  st.maintenance = {3, sim::constant(0.5), sim::kNoPool};
  line.stations.push_back(st);
  sim::RunDef run;
  run.warmup = 0;
  run.horizon = 35;  // ten cycles of 3.5
  struct Count : sim::Observer {
    std::vector<double> begins, ends;
    void on_event(const sim::LineEvent& e) override {
      if (e.kind == sim::EventKind::kMaintain) begins.push_back(e.t);
      if (e.kind == sim::EventKind::kMaintained) ends.push_back(e.t);
    }
  } count;
  sim::LineSim sim(line, run, 0);
  sim.add_observer(&count);
  const auto r = sim.run();
  CHECK(r.finished == 30);
  CHECK(r.stations[0].maintenance == doctest::Approx(5.0 / 35));
  CHECK(r.stations[0].utilization == doctest::Approx(30.0 / 35));
  REQUIRE(count.begins.size() == 10);
  for (size_t k = 0; k < count.begins.size(); ++k) CHECK(count.begins[k] == 3 + 3.5 * double(k));
  REQUIRE(count.ends.size() >= 9);
  CHECK(count.ends[0] == 3.5);
}

// Cobham's waits for non-preemptive priority classes at one server, highest first: W0 / ((1 -
// sigma_{k-1}) (1 - sigma_k)), sigma_k the load of classes 1..k, W0 = sum lambda_i E[S_i^2] / 2.
std::vector<double> cobham_waits(const std::vector<double>& lambda, const std::vector<double>& mean_sq,
                                 const std::vector<double>& mean) {
  double w0 = 0;
  for (size_t i = 0; i < lambda.size(); ++i) w0 += lambda[i] * mean_sq[i] / 2;
  std::vector<double> w;
  double sigma = 0;
  for (size_t i = 0; i < lambda.size(); ++i) {
    const double before = sigma;
    sigma += lambda[i] * mean[i];
    w.push_back(w0 / ((1 - before) * (1 - sigma)));
  }
  return w;
}

TEST_CASE("Non-preemptive priorities: Cobham's formula, class by class") {
  const auto sc = load_test_scenario("priority_mm1.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const auto w = cobham_waits({0.3, 0.4}, {2, 2}, {1, 1});  // exponential: E[S^2] = 2 E[S]^2
  check_theory("rush lead time W0 / (1 - sigma_1) + 1", r.products[0].lead_time, w[0] + 1);
  check_theory("stock lead time W0 / ((1 - sigma_1)(1 - sigma_2)) + 1", r.products[1].lead_time, w[1] + 1);
  // Work conserving: the line as a whole is the M/M/1 of rate 0.7, whatever the order.
  check_theory("throughput", r.throughput, 0.7);
  check_theory("WIP, as FIFO's rho / (1 - rho)", r.wip, 0.7 / 0.3);
}

TEST_CASE("Shortest process time first by product: Cobham's formula with the classes by their means") {
  const auto sc = load_test_scenario("spt_mm1.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const auto w = cobham_waits({0.25, 0.25}, {2 * 0.25, 2 * 2.25}, {0.5, 1.5});
  check_theory("small lead time", r.products[0].lead_time, w[0] + 0.5);
  check_theory("large lead time", r.products[1].lead_time, w[1] + 1.5);
  check_theory("throughput", r.throughput, 0.5);
}

TEST_CASE("An assembly paced by its slowest component makes one item per frame") {
  const auto sc = load_test_scenario("assembly_paced.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  // Deterministic: after the warm-up one bike a minute, the frame feeder never waiting.
  for (const auto& rep : r.reps) {
    CHECK(rep.throughput == doctest::Approx(1.0).epsilon(2.0 / sc.run.horizon));
    CHECK(rep.stations[0].utilization == doctest::Approx(1.0).epsilon(1e-9));  // frames
    CHECK(rep.stations[1].utilization == doctest::Approx(0.8).epsilon(2.0 / sc.run.horizon));  // wheels
    CHECK(rep.stations[2].utilization == doctest::Approx(0.5).epsilon(2.0 / sc.run.horizon));  // join
    CHECK(rep.created == rep.finished + rep.in_line + rep.lost_total + rep.scrapped + rep.consumed_total);
  }
}

TEST_CASE("A random assembly makes one item per frame arriving: throughput is the frames' rate") {
  const auto sc = load_test_scenario("assembly_random.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  check_theory("throughput, the frames' arrival rate 1 / 1.25", r.throughput, 0.8);
  check_theory("frames consumed per time unit", r.products[1].consumed, 0.8);
  check_theory("wheels consumed per time unit, two per bike", r.products[2].consumed, 1.6);
  check_theory("join busy rate x mean 0.9", r.stations[2].utilization, 0.8 * 0.9);
}

TEST_CASE("A saturated station on a calendar: busy and down share the working time as ttf : ttr") {
  const auto sc = load_test_scenario("calendar_saturated.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  const double working = 15.0 / 24;  // two shifts of 8 h less two breaks of 0.5 h
  const double up = 100.0 / 110;    // mean ttf / (ttf + ttr), in working time
  check_theory("busy fraction", r.stations[0].utilization, working * up);
  check_theory("down fraction", r.stations[0].down, working * (1 - up));
  check_theory("throughput, busy / mean process time", r.throughput, working * up / 2);
  // The window is whole days, so the calendar's share is exact in every replication.
  CHECK(r.stations[0].off.mean == doctest::Approx(9.0 / 24).epsilon(1e-12));
  CHECK(r.stations[0].starved.mean == doctest::Approx(0.0));
}

namespace {

// One machine of 3 h operations working 8 h a day, fed without end (time unit hours).
sim::LineDef day_shift_line() {
  sim::LineDef line;
  line.time_unit = TimeUnit::kHour;
  line.calendars.push_back({"day", 24, {{0, 8}}, {}});
  line.calendar = 0;
  line.products.push_back({"A", {sim::StationId{0}}});
  line.sources.push_back({"feed", {{sim::ProductId{0}, 1}}, sim::constant(1), true});
  sim::StationDef st;
  st.name = "press";
  st.process = {sim::constant(3)};
  line.stations.push_back(st);
  return line;
}

}  // namespace

TEST_CASE("An operation paused off shift resumes where it stopped: 80 h of work make 26 items of 3 h") {
  const sim::LineDef line = day_shift_line();
  sim::RunDef run;
  run.warmup = 0;
  run.horizon = 240;
  struct Finishes : sim::Observer {
    std::vector<double> t;
    void on_event(const sim::LineEvent& e) override {
      if (e.kind == sim::EventKind::kFinish) t.push_back(e.t);
    }
  } finishes;
  sim::LineSim sim(line, run, 0);
  sim.add_observer(&finishes);
  const auto r = sim.run();
  // A restart of the paused operation instead would make 20 (two of 3 h a day, the third undone).
  CHECK(r.finished == 26);
  REQUIRE(finishes.t.size() == 26);
  CHECK(finishes.t[2] == doctest::Approx(25.0));  // begun at 6, 2 h done by 8, the last hour at 24-25
  CHECK(finishes.t[5] == doctest::Approx(48.0 + 2));
  CHECK(r.stations[0].utilization == doctest::Approx(80.0 / 240));
  CHECK(r.stations[0].off == doctest::Approx(160.0 / 240));
}

TEST_CASE("A state taken off shift starts its run where the calendar stood, with the working time left") {
  const sim::LineDef line = day_shift_line();
  sim::RunDef run;
  run.warmup = 0;
  run.horizon = 240;
  sim::LineSim first(line, run, 0);
  first.run_until(10);  // off shift since 8, the third operation 2 h done
  const sim::LineState state = first.state();
  REQUIRE(state.stations[0].machines[0].status == sim::MachineStatus::kBusy);
  CHECK(state.stations[0].machines[0].remaining == doctest::Approx(1.0));  // working time, not 15 h of clock
  sim::RunDef rest = run;
  rest.horizon = 230;
  sim::LineSim second(line, rest, 0);
  second.start_from(state);
  const auto r = second.run();
  CHECK(r.finished == 26 - 2);  // the same finishes as the first run's from 10 h on
}

TEST_CASE("Workers on a calendar of their own: an always-open station waits for its operator off her shift") {
  const auto sc = load_test_scenario("calendar_pool.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  CHECK(r.throughput.mean == doctest::Approx(8.0 / 24));
  CHECK(r.workers[0].mean == doctest::Approx(1.0));  // busy all of her working time
  CHECK(r.stations[0].waiting.mean == doctest::Approx(16.0 / 24));
  CHECK(r.stations[0].off.mean == doctest::Approx(0.0));
}

TEST_CASE("A calendar's arithmetic: working time, its inverse and the flips of a night shift across midnight") {
  // Night 22-6 written in two, a day shift 8-16 with a break 12-12.5: 15.5 h a day.
  const sim::Calendar c(sim::CalendarDef{"n", 24, {{0, 6}, {8, 16}, {22, 24}}, {{12, 12.5}}});
  CHECK(c.per_period() == 15.5);
  CHECK(c.working(0) == 0);
  CHECK(c.working(7) == 6);
  CHECK(c.working(12.25) == 10);
  CHECK(c.working(24 + 23) == 15.5 + 6 + 7.5 + 1);
  for (double t : {0.5, 5.0, 9.0, 13.0, 22.5, 30.0, 100.25}) CHECK(c.when(c.working(t)) == doctest::Approx(t));
  CHECK(c.when(6) == 6);     // reached at the end of the night, not at 8 when work resumes
  CHECK(c.when(6.5) == 8.5);
  CHECK(c.when(15.5) == 24); // the night shift runs on over midnight
  CHECK(c.works(23.9));
  CHECK(c.works(24.1));
  CHECK(!c.works(12.2));
  CHECK(!c.works(6));
  // Over midnight no flip: 6 off, 8 on, 12 off, 12.5 on, 16 off, 22 on.
  REQUIRE(c.flips().size() == 6);
  CHECK(c.flips()[0].t == 6);
  CHECK(!c.flips()[0].on);
  CHECK(c.flips()[5].t == 22);
  CHECK(c.flips()[5].on);
  CHECK(sim::check_calendar(sim::CalendarDef{"x", 24, {{6, 14}}, {{13, 15}}}).find("outside") != std::string::npos);
}

TEST_CASE("A saturated batch station: each machine makes a full batch per mean process time") {
  const auto sc = load_test_scenario("batch_saturated.yaml");
  const auto r = sim::run_experiment(sc.line, sc.run);
  check_theory("throughput, machines x size / mean", r.throughput, 2 * 4 / 10.0);
  check_theory("the packer's busy fraction, throughput x 1", r.stations[1].utilization, 0.8);
  CHECK(r.stations[0].utilization.mean == doctest::Approx(1.0));
}

TEST_CASE("A batch that waits at most 2.5 after its first item starts with the three that came") {
  sim::LineDef line;
  line.products.push_back({"A", {sim::StationId{0}}});
  line.sources.push_back({"feed", {{sim::ProductId{0}, 1}}, sim::constant(1), false});
  sim::StationDef st;
  st.name = "oven";
  st.process = {sim::constant(0.5)};
  st.batch = {4, 2.5};
  line.stations.push_back(st);
  sim::RunDef run;
  run.warmup = 0;
  run.horizon = 300;
  struct Starts : sim::Observer {
    std::vector<double> t;
    void on_event(const sim::LineEvent& e) override {
      if (e.kind == sim::EventKind::kStart) t.push_back(e.t);
    }
  } starts;
  sim::LineSim sim(line, run, 0);
  sim.add_observer(&starts);
  const auto r = sim.run();
  // Items at 1, 2, 3 start at 3.5 (one item short of a full batch), at 4, 5, 6 at 6.5, ...
  REQUIRE(starts.t.size() >= 6);
  for (size_t k = 0; k < 6; ++k) CHECK(starts.t[k] == 3.5 + 3.0 * double(k / 3));
  CHECK(r.lead_time == doctest::Approx(2.0));  // waits 2.5, 1.5 and 0.5, then 0.5 in the oven
  CHECK(r.finished == 297);                    // 99 batches of 3 by 300
  CHECK(r.stations[0].utilization == doctest::Approx(99 * 0.5 / 300));
  // Without max_wait the batches are full: four items every 4.
  line.stations[0].batch.max_wait = sim::kInf;
  const auto full = sim::LineSim(line, run, 0).run();
  CHECK(full.lead_time == doctest::Approx((3 + 2 + 1 + 0) / 4.0 + 0.5));
  CHECK(full.finished == 296);
}

TEST_CASE("A source on a calendar releases only in its working time: Poisson thinned by the calendar's share") {
  sim::LineDef line;
  line.calendars.push_back({"day", 1440, {{360, 1320}}, {{720, 750}}});  // 6:00 to 22:00 less half an hour
  line.products.push_back({"A", {sim::StationId{0}}});
  sim::SourceDef src{"orders", {{sim::ProductId{0}, 1}}, sim::exponential(2), false};
  src.calendar = 0;
  line.sources.push_back(src);
  sim::StationDef st;
  st.name = "m";
  st.process = {sim::exponential(1)};
  line.stations.push_back(st);  // always open: what came in the day is worked off at night
  sim::RunDef run;
  run.warmup = 1440;
  run.horizon = 20 * 1440;
  run.replications = 10;
  const auto r = sim::run_experiment(line, run);
  check_theory("throughput, 1/2 x 15.5/24", r.throughput, 0.5 * 15.5 / 24);
  check_theory("busy fraction, the same x mean 1", r.stations[0].utilization, 0.5 * 15.5 / 24);
}
