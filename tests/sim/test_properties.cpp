// Properties that must hold whatever the line: conservation of items, Little's law, state
// fractions that add up, identical results for any thread count, common random numbers.
#include <cmath>
#include <cstring>
#include <filesystem>

#include "tests/sim/sim_test_util.hpp"

using namespace linetwin;
using linetwin::test::load_test_scenario;

namespace {

std::vector<std::string> all_test_scenarios() {
  std::vector<std::string> files;
  for (const auto& dir : {"/tests/sim/scenarios", "/scenarios"})
    for (const auto& e : std::filesystem::directory_iterator(std::string(LINETWIN_SOURCE_DIR) + dir))
      if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

/// FNV-1a over every figure of every replication: equal hashes mean bitwise-equal results.
uint64_t hash_results(const sim::ExperimentResult& r) {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&](const void* p, size_t n) {
    for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<const unsigned char*>(p)[i]) * 0x100000001b3ULL;
  };
  for (const auto& rep : r.reps) {
    for (double v : {rep.throughput, rep.lead_time, rep.wip, rep.lost, rep.scrap, rep.power}) mix(&v, sizeof v);
    for (const auto& p : rep.products)
      for (double v : {p.throughput, p.lead_time, p.wip, p.scrap}) mix(&v, sizeof v);
    for (const auto& s : rep.stations)
      for (double v : {s.utilization, s.blocked, s.starved, s.down, s.setup, s.waiting, s.maintenance, s.off, s.queue, s.oee})
        mix(&v, sizeof v);
    for (double v : rep.workers) mix(&v, sizeof v);
    for (uint64_t v : {rep.events, rep.created, rep.finished, rep.lost_total, rep.in_line, rep.scrapped})
      mix(&v, sizeof v);
  }
  return h;
}

}  // namespace

TEST_CASE("Conservation, Little's law and state fractions on every test and example scenario") {
  for (const auto& file : all_test_scenarios()) {
    CAPTURE(file);
    auto sc = scenarios::load_scenario(file);
    REQUIRE_MESSAGE(sc.ok(), (sc.ok() ? "" : sc.error().message()));
    sc->run.replications = std::min<uint32_t>(sc->run.replications, 5);
    const auto r = sim::run_experiment(sc->line, sc->run);
    REQUIRE(!r.unstable);
    const size_t np = sc->line.products.size();
    std::vector<std::vector<double>> little(np + 1);  // the line's, then each product's
    // Little's law over everything that leaves: finished items and scrapped ones.
    auto gap = [](double wip, double throughput, double lead, double scrap, double scrap_time, double consumed,
                  double consume_time) {
      return wip - (throughput > 0 ? throughput * lead : 0.0) - (scrap > 0 ? scrap * scrap_time : 0.0) -
             (consumed > 0 ? consumed * consume_time : 0.0);
    };
    for (const auto& rep : r.reps) {
      // Every item released is finished, still in the line, lost or scrapped: exactly.
      CHECK(rep.created == rep.finished + rep.in_line + rep.lost_total + rep.scrapped + rep.consumed_total);
      for (const auto& st : rep.stations)
        CHECK(st.utilization + st.blocked + st.starved + st.down + st.setup + st.waiting + st.maintenance + st.off ==
              doctest::Approx(1.0).epsilon(1e-9));
      little[0].push_back(gap(rep.wip, rep.throughput, rep.lead_time, rep.scrap, rep.scrap_time, rep.consumed, rep.consume_time));
      REQUIRE(rep.products.size() == np);
      double throughput = 0, wip = 0, scrap = 0;
      for (size_t p = 0; p < np; ++p) {
        const auto& pr = rep.products[p];
        throughput += pr.throughput, wip += pr.wip, scrap += pr.scrap;
        if (pr.throughput > 0 || pr.consumed > 0)
          little[p + 1].push_back(gap(pr.wip, pr.throughput, pr.lead_time, pr.scrap, pr.scrap_time, pr.consumed, pr.consume_time));
      }
      // The products' figures add up to the line's.
      CHECK(throughput == doctest::Approx(rep.throughput).epsilon(1e-9));
      CHECK(wip == doctest::Approx(rep.wip).epsilon(1e-9));
      CHECK(scrap == doctest::Approx(rep.scrap).epsilon(1e-9));
    }
    // Little's law L = lambda W holds up to the items that straddle the window's ends: their
    // error is of order 2 L W / H, on top of the replications' noise; per product as for the line.
    for (size_t k = 0; k <= np; ++k) {
      if (little[k].empty()) continue;
      CAPTURE(k);
      const auto d = sim::summarize(little[k]);
      const double wip = k == 0 ? r.wip.mean : r.products[k - 1].wip.mean;
      // The longest stay among those that leave: finished, or consumed by an assembly.
      double lead = 0;
      for (const auto& rep : r.reps)
        for (double x : k == 0 ? std::vector<double>{rep.lead_time, rep.consume_time}
                               : std::vector<double>{rep.products[k - 1].lead_time, rep.products[k - 1].consume_time})
          if (std::isfinite(x)) lead = std::max(lead, x);
      const double edge = 2 * wip * lead / sc->run.horizon;
      INFO("L - lambda W = " << d.mean << " (se " << d.se() << "), L = " << wip);
      CHECK(std::fabs(d.mean) <= 4 * (std::isnan(d.se()) ? 0.0 : d.se()) + edge + 1e-12);
    }
  }
}

TEST_CASE("Results are identical for 1 and 2 threads") {
  for (const char* name : {"transport_line.yaml", "mg1_mix.yaml", "breakdown.yaml", "quality_mix.yaml",
                           "feedback_tandem.yaml", "changeover_matrix.yaml", "interference.yaml",
                           "operators_mm2.yaml", "age_replacement.yaml", "calendar_saturated.yaml", "calendar_line.yaml", "batch_line.yaml"}) {
    CAPTURE(name);
    auto sc = load_test_scenario(name);
    sc.run.horizon = std::min(sc.run.horizon, 50000.0);
    sc.run.replications = 5;
    sc.run.threads = 1;
    const auto one = sim::run_experiment(sc.line, sc.run);
    sc.run.threads = 2;
    const auto two = sim::run_experiment(sc.line, sc.run);
    CHECK(two.threads_used == 2);
    CHECK(hash_results(one) == hash_results(two));
    CHECK(one.throughput.mean == two.throughput.mean);
    // And a different seed gives different numbers, so the hash is not blind.
    sc.run.seed += 1;
    CHECK(hash_results(sim::run_experiment(sc.line, sc.run)) != hash_results(one));
  }
}

TEST_CASE("Common random numbers: an idle extra station changes nothing else") {
  auto a = load_test_scenario("transport_line.yaml");
  a.run.replications = 3;
  a.run.horizon = 20000;
  auto b = a;
  sim::StationDef spare;
  spare.name = "spare";
  spare.process.assign(b.line.products.size(), sim::exponential(1.0));
  b.line.stations.insert(b.line.stations.begin(), spare);  // shifts every index
  for (auto& p : b.line.products)
    for (auto& s : p.route) s = sim::StationId{sim::idx(s) + 1};
  for (auto& t : b.line.transports) {
    t.from = sim::StationId{sim::idx(t.from) + 1};
    t.to = sim::StationId{sim::idx(t.to) + 1};
  }
  const auto ra = sim::run_experiment(a.line, a.run);
  const auto rb = sim::run_experiment(b.line, b.run);
  CHECK(ra.throughput.mean == rb.throughput.mean);
  CHECK(ra.lead_time.mean == rb.lead_time.mean);
  CHECK(rb.stations[0].utilization.mean == 0.0);
  CHECK(ra.stations[2].down.mean == rb.stations[3].down.mean);
}

TEST_CASE("Observers see every item released and finished") {
  auto sc = load_test_scenario("transport_line.yaml");
  sc.run.horizon = 5000;
  struct Counter : sim::Observer {
    uint64_t released = 0, lost = 0, complete = 0, starts = 0, finishes = 0, measure = 0;
    double last_t = 0;
    bool ordered = true;
    void on_event(const sim::LineEvent& e) override {
      ordered = ordered && e.t >= last_t;
      last_t = e.t;
      switch (e.kind) {
        case sim::EventKind::kRelease: ++released; break;
        case sim::EventKind::kLost: ++lost; break;
        case sim::EventKind::kComplete: ++complete; break;
        case sim::EventKind::kStart: ++starts; break;
        case sim::EventKind::kFinish: ++finishes; break;
        case sim::EventKind::kMeasureStart:
        case sim::EventKind::kMeasureEnd: ++measure; break;
        default: break;
      }
    }
  } counter;
  sim::LineSim line(sc.line, sc.run, 0);
  line.add_observer(&counter);
  const auto r = line.run();
  CHECK(counter.ordered);
  CHECK(counter.measure == 2);
  CHECK(counter.released + counter.lost == r.created);
  CHECK(counter.complete == r.finished);
  CHECK(counter.lost == r.lost_total);
  CHECK(counter.starts >= counter.finishes);
  CHECK(counter.finishes >= counter.complete);
  CHECK(r.finished > 1000);
}

TEST_CASE("run_until steps the same run as run()") {
  auto sc = load_test_scenario("transport_line.yaml");
  sc.run.horizon = 5000;
  sim::LineSim whole(sc.line, sc.run, 2);
  const auto a = whole.run();
  sim::LineSim stepped(sc.line, sc.run, 2);
  double t = 0;
  while (stepped.run_until(t += 7.3)) CHECK(stepped.now() == doctest::Approx(t));
  const auto b = stepped.result();
  CHECK(a.events == b.events);
  CHECK(a.throughput == b.throughput);
  CHECK(a.wip == b.wip);
}

TEST_CASE("An overloaded line with an unbounded buffer is reported unstable, not run forever") {
  auto sc = load_test_scenario("mm1.yaml", {{"stations.m1.process", "{dist: exponential, mean: 2}"}});
  sc.run.max_items = 10000;
  sc.run.replications = 2;
  const auto r = sim::run_experiment(sc.line, sc.run);
  CHECK(r.unstable);
}

TEST_CASE("Assembly consumes its bill of materials for every item it makes, and nothing else") {
  for (const auto& file : all_test_scenarios()) {
    auto sc = scenarios::load_scenario(file);
    REQUIRE(sc.ok());
    if (!sc->line.has_assembly()) continue;
    CAPTURE(file);
    struct Count : sim::Observer {
      std::vector<uint64_t> released, consumed;
      void on_event(const sim::LineEvent& e) override {
        if (e.kind == sim::EventKind::kRelease) ++released[e.product];
        if (e.kind == sim::EventKind::kConsume) ++consumed[e.product];
      }
    } count;
    const size_t np = sc->line.products.size();
    count.released.assign(np, 0);
    count.consumed.assign(np, 0);
    sc->run.horizon = std::min(sc->run.horizon, 20000.0);
    sim::LineSim line(sc->line, sc->run, 0);
    line.add_observer(&count);
    const auto r = line.run();
    CHECK(r.created == r.finished + r.in_line + r.lost_total + r.scrapped + r.consumed_total);
    uint64_t consumed = 0;
    for (size_t p = 0; p < np; ++p) consumed += count.consumed[p];
    CHECK(consumed == r.consumed_total);
    std::vector<uint64_t> expected(np, 0);
    for (size_t p = 0; p < np; ++p)
      for (const auto& b : sc->line.products[p].bom) expected[sim::idx(b.component)] += b.count * count.released[p];
    for (size_t p = 0; p < np; ++p) {
      CAPTURE(sc->line.products[p].name);
      CHECK(count.consumed[p] == expected[p]);
    }
    CHECK(r.finished > 100);
  }
}
