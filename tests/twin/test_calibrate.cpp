// Calibration: each family's maximum-likelihood fit recovers the parameters of samples drawn from
// it within 4 of its own standard errors and is chosen over the others; a long trace of a known
// scenario, through `linetwin run --trace` and `linetwin calibrate`, gives back that scenario.
#include <doctest/doctest.h>

#include <cmath>

#include "scenarios/scenario.hpp"
#include "sim/random.hpp"
#include "tests/twin/live_test_util.hpp"
#include "twin/calibrate/fit.hpp"

using namespace linetwin;

namespace {

// Runs `scenario` (a path under the source tree) once with a trace and calibrates it from that
// trace into `out`; returns calibrate's JSON report.
test::Json calibrated_report(test::TempDir& dir, const std::string& scenario, const std::string& out) {
  const std::string exe = LINETWIN_EXE, trace = dir.file("calib.trace");
  {
    test::Process run({exe, "run", scenario, "--reps", "1", "--trace", trace}, dir.file("run.out"), dir.file("run.err"));
    REQUIRE(run.wait(60) == 0);
  }
  test::Process cal({exe, "calibrate", trace, "--scenario", scenario, "--out", out, "--json"}, dir.file("cal.out"),
                    dir.file("cal.err"));
  REQUIRE_MESSAGE(cal.wait(60) == 0, test::read_file(dir.file("cal.err")));
  auto report = test::parse_json(test::read_file(dir.file("cal.out")));
  REQUIRE(report.is_object());
  REQUIRE((report.contains("times") && report["times"].is_array()));
  return report;
}

// The entry of calibrate's report for `path`, which must be there with at least one fit.
const test::Json& time_entry(const test::Json& report, const std::string& path) {
  const test::Json* entry = nullptr;
  for (const auto& x : report["times"])
    if (test::text_at(x, {"path"}) == path) entry = &x;
  REQUIRE(entry);
  REQUIRE((entry->contains("fits") && (*entry)["fits"].is_array() && !(*entry)["fits"].empty()));
  return *entry;
}

// The best fit's family is `family` and each parameter lies within 4 standard errors of its truth.
void check_best_fit(const test::Json& entry, const char* family, const std::vector<std::pair<const char*, double>>& params) {
  const test::Json& best = entry["fits"][0];
  MESSAGE(test::text_at(entry, {"path"}) << ": " << test::text_at(best, {"dist"}) << " from n = " << test::number_at(entry, {"n"}));
  CHECK(test::text_at(best, {"family"}) == family);
  for (const auto& [name, value] : params) {
    const double v = test::number_at(best, {"params", name, "value"}), se = test::number_at(best, {"params", name, "se"});
    INFO(name << " = " << v << " ± " << se << ", truth " << value);
    CHECK(std::fabs(v - value) <= 4 * se);
  }
}

std::vector<double> draw(const sim::Dist& d, size_t n, uint64_t seed) {
  sim::Rng rng(seed);
  std::vector<double> x(n);
  for (double& v : x) v = sim::sample(d, rng);
  return x;
}

/// `value` lies within 4 standard errors of `truth`.
void within(const calibrate::FitParam& p, double truth) {
  INFO(p.name << " = " << p.value << " ± " << p.se << ", truth " << truth);
  REQUIRE(std::isfinite(p.se));
  CHECK(p.se > 0);
  CHECK(std::fabs(p.value - truth) <= 4 * p.se);
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

TEST_CASE("Each family is recovered from its own samples within 4 standard errors and chosen") {
  using K = sim::DistKind;
  struct Case {
    sim::Dist d;
    const char* family;
    std::vector<double> truth;  // the parameters in the order a scenario writes them
  };
  const std::vector<Case> cases = {
      {sim::exponential(2.0), "exponential", {2.0}},
      {sim::normal(5.0, 1.0), "normal", {5.0, 1.0}},
      {sim::lognormal(1.2, 0.4), "lognormal", {1.2, 0.4}},
      {sim::weibull(2.5, 0.8), "weibull", {2.5, 0.8}},
      {sim::weibull(0.7, 3.0), "weibull", {0.7, 3.0}},
      {sim::erlang(3.0, 4), "erlang", {3.0}},
      {sim::uniform(2.0, 4.0), "uniform", {2.0, 4.0}},
  };
  uint64_t seed = 100;
  for (const auto& c : cases) {
    CAPTURE(calibrate::dist_yaml(c.d));
    const auto fits = calibrate::fit_all(draw(c.d, 20000, ++seed));
    REQUIRE(!fits.empty());
    CHECK(fits[0].family == c.family);
    const auto& best = fits[0];
    for (size_t i = 0; i < c.truth.size(); ++i) within(best.params[i], c.truth[i]);
    if (c.d.kind == K::kErlang) CHECK(best.params[1].value == 4);
    // The fitted distribution is close to the sample: Kolmogorov-Smirnov does not reject it.
    CHECK(calibrate::ks_p_value(best.ks, 20000) > 0.001);
  }
  // A triangular sample is best described as triangular, with its mode near the truth.
  const auto tri = calibrate::fit_all(draw(sim::triangular(1.0, 1.5, 3.0), 20000, 7));
  CHECK(tri[0].family == "triangular");
  CHECK(tri[0].dist.triangular.mode == doctest::Approx(1.5).epsilon(0.05));
  // Equal values are a constant; too few values are not fitted.
  const auto con = calibrate::fit_all({2.5, 2.5, 2.5});
  REQUIRE(con.size() == 1);
  CHECK(con[0].family == "constant");
  CHECK(calibrate::fit_all({1.0}).empty());
}

TEST_CASE("CDFs and densities agree: the density integrates to the CDF") {
  for (const auto& d : {sim::exponential(2.0), sim::normal(1.0, 0.8), sim::lognormal(1.2, 0.4),
                        sim::weibull(1.7, 0.8), sim::erlang(3.0, 4), sim::uniform(2.0, 4.0),
                        sim::triangular(1.0, 1.5, 3.0)}) {
    CAPTURE(calibrate::dist_yaml(d));
    double integral = 0;
    const double h = 1e-4;
    for (double x = h / 2; x < 3.0; x += h) integral += std::exp(calibrate::log_pdf(d, x)) * h;
    CHECK(integral == doctest::Approx(calibrate::cdf(d, 3.0)).epsilon(1e-3));
  }
}

TEST_CASE("linetwin calibrate recovers a known scenario from a long trace of it") {
  test::TempDir dir;
  const std::string exe = LINETWIN_EXE;
  const std::string scenario = std::string(LINETWIN_SOURCE_DIR) + "/tests/twin/scenarios/calibration_line.yaml";
  const std::string trace = dir.file("calib.trace"), out = dir.file("calibrated.yaml");
  const test::Json report = calibrated_report(dir, scenario, out);
  CHECK(test::number_at(report, {"out_of_order"}) == 0);

  // The truth, per time: its family and parameters (failure times: the mean alone, whose
  // family a few hundred failures cannot tell apart from its neighbours).
  struct Truth {
    const char* path;
    const char* family;
    std::vector<std::pair<const char*, double>> params;
  };
  const std::vector<Truth> truths = {
      {"stations.cut.process", "lognormal", {{"mean", 0.7}, {"sd", 0.3}}},
      {"stations.weld.process", "weibull", {{"shape", 2.5}, {"scale", 0.8}}},
      {"stations.paint.process", "normal", {{"mean", 0.6}, {"sd", 0.1}}},
      {"stations.weld.failures.ttf", nullptr, {{"mean", 40}}},
      {"stations.weld.failures.ttr", nullptr, {{"mean", 3}}},
      {"sources.orders.interarrival", nullptr, {{"mean", 1.0}}},
  };
  for (const auto& t : truths) {
    const std::string path = t.path;
    CAPTURE(path);
    const test::Json& entry = time_entry(report, path);
    const test::Json& best = entry["fits"][0];
    if (t.family) {
      check_best_fit(entry, t.family, t.params);
    } else {
      // The mean of whichever family won, against the sample mean's standard error sd / sqrt(n).
      const double n = test::number_at(entry, {"n"}), sd = test::number_at(entry, {"sd"});
      auto fitted = scenarios::parse_scenario(
          "name: x\nproducts: [{name: A, route: [m]}]\nsources: [{name: s, product: A, interarrival: 1}]\n"
          "stations: [{name: m, process: " + test::text_at(best, {"dist"}) + "}]\n", "fit");
      REQUIRE(fitted.ok());
      const double mean = fitted->line.stations[0].process[0].mean();
      INFO("fitted mean " << mean << ", sample sd " << sd << ", n " << n);
      CHECK(n >= 100);
      CHECK(std::fabs(mean - t.params[0].second) <= 4 * sd / std::sqrt(n));
    }
  }

  // The calibrated scenario is a scenario: it loads, keeps the rest, and runs.
  auto calibrated = scenarios::load_scenario(out);
  REQUIRE_MESSAGE(calibrated.ok(), (calibrated.ok() ? "" : calibrated.error().message()));
  CHECK(calibrated->line.name == "Calibration line");
  CHECK(calibrated->line.stations[1].has_failures);
  CHECK(calibrated->line.stations[0].process[0].kind == sim::DistKind::kLognormal);
  CHECK(calibrated->line.stations[0].process[0].lognormal.mean == doctest::Approx(0.7).epsilon(0.02));
  test::Process run2({exe, "run", out, "--reps", "2", "--horizon", "1000", "--json"}, dir.file("run2.out"), dir.file("run2.err"));
  CHECK(run2.wait(60) == 0);

  // Bad input: a trace of another line is refused with exit 2 and one sentence.
  test::Process wrong({exe, "calibrate", trace, "--scenario", std::string(LINETWIN_SOURCE_DIR) + "/scenarios/bottling_line.yaml"},
                      dir.file("w.out"), dir.file("w.err"));
  CHECK(wrong.wait(60) == 2);
  CHECK(first_line(test::read_file(dir.file("w.err"))).find("station 'cut'") != std::string::npos);
}

TEST_CASE("linetwin calibrate recovers changeover times, one setup pooled and a matrix pair by pair") {
  test::TempDir dir;
  const std::string out = dir.file("calibrated.yaml");
  const test::Json report =
      calibrated_report(dir, std::string(LINETWIN_SOURCE_DIR) + "/tests/twin/scenarios/calibration_setups.yaml", out);
  const test::Json& times = report["times"];
  struct Truth {
    const char* path;
    const char* family;
    std::vector<std::pair<const char*, double>> params;
  };
  const std::vector<Truth> truths = {
      {"stations.press.setup", "lognormal", {{"mean", 0.6}, {"sd", 0.2}}},
      {"stations.paint.setup_matrix.red.white", "normal", {{"mean", 1.5}, {"sd", 0.3}}},
      {"stations.paint.setup_matrix.white.red", "exponential", {{"mean", 0.5}}},
  };
  for (const auto& t : truths) {
    const std::string path = t.path;
    CAPTURE(path);
    const test::Json& entry = time_entry(report, path);
    CHECK(test::number_at(entry, {"n"}) >= 500);  // about a quarter of 5000 items each way
    check_best_fit(entry, t.family, t.params);
  }
  // The same pair is not fitted twice, and no pair the matrix leaves without a changeover is.
  for (const auto& x : times) CHECK(test::text_at(x, {"path"}) != "stations.paint.setup");
  // The calibrated scenario loads with the fitted changeovers.
  auto calibrated = scenarios::load_scenario(out);
  REQUIRE_MESSAGE(calibrated.ok(), (calibrated.ok() ? "" : calibrated.error().message()));
  const auto& press = calibrated->line.stations[0];
  REQUIRE(press.has_setups());
  CHECK(press.setups[1].kind == sim::DistKind::kLognormal);  // red to white
  CHECK(press.setups[1].lognormal.mean == doctest::Approx(0.6).epsilon(0.05));
  const auto& paint = calibrated->line.stations[1];
  CHECK(paint.setups[1].kind == sim::DistKind::kNormal);
  CHECK(paint.setups[2].kind == sim::DistKind::kExponential);
}
