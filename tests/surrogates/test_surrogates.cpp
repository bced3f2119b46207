// Surrogates: designs, datasets and their CSV, and the neural model. Training checks against
// functions of known form; the model file must give back identical predictions and refuse
// anything damaged or foreign. Small networks and seeds fixed: quick and deterministic.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "surrogates/design.hpp"
#include "surrogates/model.hpp"
#include "surrogates/model_file.hpp"
#include "surrogates/sampling.hpp"

using namespace linetwin;
using surrogates::Dataset;
using surrogates::SurrogateModel;

namespace {

scenarios::Factor factor(const std::string& path, double lo, double hi, bool integer, double base) {
  scenarios::Factor f;
  f.path = path;
  f.lo = lo;
  f.hi = hi;
  f.integer = integer;
  f.base = base;
  return f;
}

// Two KPIs of known form over a continuous and an integer factor: a smooth bump, and a quantity
// spread over two orders of magnitude (which wants the log transform).
const std::vector<scenarios::Factor> kFactors = {factor("a.x", 0, 4, false, 1), factor("b.n", 1, 6, true, 2)};
double smooth(double x, double n) { return 5 + std::sin(x) + 0.3 * n; }
double wide(double x, double n) { return std::exp(0.8 * x + 0.25 * n); }

Dataset synthetic(size_t n, uint64_t seed) {
  const auto design = surrogates::make_design(kFactors, surrogates::DesignKind::kLhs, n, seed);
  Dataset d;
  d.factors = {"a.x", "b.n"};
  d.kpis = {"smooth", "wide"};
  for (size_t i = 0; i < design.points(); ++i) {
    const double* x = design.row(i);
    const double y[2] = {smooth(x[0], x[1]), wide(x[0], x[1])};
    const double h[2] = {0, 0};
    d.add(x, y, h);
  }
  return d;
}

surrogates::ModelInfo synthetic_info() {
  surrogates::ModelInfo info;
  info.scenario = "synthetic";
  info.source = "test";
  info.time_unit = linetwin::TimeUnit::kMinute;
  info.factors = kFactors;
  info.kpis = {"smooth", "wide"};
  return info;
}

surrogates::TrainOptions quick() {
  surrogates::TrainOptions o;
  o.hidden_layers = 2;
  o.width = 32;
  o.max_epochs = 3000;
  o.patience = 300;
  o.seed = 3;
  return o;
}

const SurrogateModel& trained() {
  static const SurrogateModel model = [] {
    auto m = SurrogateModel::train(synthetic_info(), synthetic(240, 1), quick());
    REQUIRE(m.ok());
    return std::move(*m);
  }();
  return model;
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("A Latin hypercube puts one point in each stratum of every continuous factor") {
  const std::vector<scenarios::Factor> f = {factor("p", 0, 1, false, 0), factor("q", -5, 5, false, 0),
                                            factor("k", 1, 4, true, 1)};
  const size_t n = 40;
  const auto d = surrogates::make_design(f, surrogates::DesignKind::kLhs, n, 7);
  REQUIRE(d.points() == n);
  for (size_t j = 0; j < 2; ++j) {
    std::set<size_t> strata;
    for (size_t i = 0; i < n; ++i) strata.insert(static_cast<size_t>((d.row(i)[j] - f[j].lo) / (f[j].hi - f[j].lo) * n));
    CHECK(strata.size() == n);
  }
  std::vector<size_t> per_value(4, 0);  // an integer factor's values equally often
  for (size_t i = 0; i < n; ++i) {
    const double k = d.row(i)[2];
    REQUIRE(k == std::round(k));
    REQUIRE(k >= 1);
    REQUIRE(k <= 4);
    ++per_value[static_cast<size_t>(k - 1)];
  }
  for (size_t c : per_value) CHECK(c == n / 4);
  // The same seed, the same points; another seed, others.
  CHECK(surrogates::make_design(f, surrogates::DesignKind::kLhs, n, 7).x == d.x);
  CHECK(surrogates::make_design(f, surrogates::DesignKind::kLhs, n, 8).x != d.x);
}

TEST_CASE("A grid takes every value of a small integer factor and never exceeds the samples") {
  const std::vector<scenarios::Factor> f = {factor("k", 1, 2, true, 1), factor("c", 0, 1, false, 0)};
  const auto d = surrogates::make_design(f, surrogates::DesignKind::kGrid, 10, 1);
  CHECK(d.points() == 10);  // 2 values x 5 levels
  std::set<std::vector<double>> distinct;
  for (size_t i = 0; i < d.points(); ++i) distinct.insert({d.row(i), d.row(i) + 2});
  CHECK(distinct.size() == 10);
  const std::vector<scenarios::Factor> g = {factor("a", 0, 3, true, 0), factor("b", 0, 3, true, 0)};
  CHECK(surrogates::make_design(g, surrogates::DesignKind::kGrid, 100, 1).points() == 16);  // the whole space
  CHECK(surrogates::make_design(g, surrogates::DesignKind::kGrid, 0, 1).points() == 0);
  const auto r = surrogates::make_design(g, surrogates::DesignKind::kRandom, 25, 1);
  CHECK(r.points() == 25);
  for (double v : r.x) CHECK((v == std::round(v) && v >= 0 && v <= 3));
}

TEST_CASE("A dataset survives CSV and malformed CSV is refused with its line and column") {
  Dataset d = synthetic(5, 2);
  d.mean[3] = std::nan("");  // an unstable point's empty cell
  auto back = surrogates::parse_dataset_csv(surrogates::dataset_csv(d), "d.csv");
  REQUIRE(back.ok());
  CHECK(back->factors == d.factors);
  CHECK(back->kpis == d.kpis);
  CHECK(back->x == d.x);
  CHECK(std::isnan(back->mean[3]));
  CHECK(back->mean[0] == d.mean[0]);

  auto bad = [](const std::string& text) {
    auto r = surrogates::parse_dataset_csv(text, "d.csv");
    REQUIRE_FALSE(r.ok());
    return r.error().message();
  };
  CHECK(has(bad("a.x,smooth_mean\n1,2\n3,abc\n"), "d.csv:3:3: key 'smooth_mean': expected a number, got 'abc'"));
  CHECK(has(bad("a.x,smooth_mean\n1,2,3\n"), "d.csv:2: expected 2 cells"));
  CHECK(has(bad(""), "empty"));
  CHECK(has(bad("a.x,smooth_mean\n"), "no rows"));
  CHECK(has(bad("a.x,b.n\n1,2\n"), "KPI columns"));
  CHECK(has(bad("a.x,smooth_mean\n,2\n"), "key 'a.x': expected the factor's value"));
  CHECK(has(bad("a.x,smooth_mean,b\n1,2,3\n"), "factor column after the KPI columns"));
  CHECK_FALSE(surrogates::read_dataset_csv("/nonexistent/data.csv").ok());
}

TEST_CASE("Training on functions of known form reaches a high R^2 on the points held out") {
  surrogates::TrainReport report;
  auto m = SurrogateModel::train(synthetic_info(), synthetic(240, 1), quick(), &report);
  REQUIRE(m.ok());
  CHECK(report.holdout == 48);
  CHECK(report.train + report.validation + report.holdout == 240);
  REQUIRE(report.holdout_scores.size() == 2);
  CHECK(report.holdout_scores[0].r2 > 0.995);
  CHECK(report.holdout_scores[1].r2 > 0.995);
  CHECK(report.holdout_scores[1].mape < 5);
  // The wide KPI is learnt as a logarithm, the smooth one as it is.
  CHECK_FALSE(m->scaling()[0].log);
  CHECK(m->scaling()[1].log);
  // And it generalises to points it never saw, of another design.
  const Dataset fresh = synthetic(100, 99);
  auto scores = surrogates::score(*m, fresh, "fresh");
  REQUIRE(scores.ok());
  CHECK((*scores)[0].r2 > 0.99);
  CHECK((*scores)[1].r2 > 0.99);
  // The same seed trains the same model.
  auto again = SurrogateModel::train(synthetic_info(), synthetic(240, 1), quick());
  REQUIRE(again.ok());
  CHECK(again->predict(fresh.x) == m->predict(fresh.x));
}

TEST_CASE("Too few points or missing columns are refused") {
  CHECK_FALSE(SurrogateModel::train(synthetic_info(), synthetic(6, 1), quick()).ok());
  Dataset d = synthetic(50, 1);
  d.factors[1] = "other.n";
  auto r = SurrogateModel::train(synthetic_info(), d, quick());
  REQUIRE_FALSE(r.ok());
  CHECK(has(r.error().message(), "b.n"));
}

TEST_CASE("Saving and loading gives identical predictions") {
  const SurrogateModel& m = trained();
  const std::string bytes = m.to_bytes();
  auto back = SurrogateModel::from_bytes(bytes, "m.model");
  REQUIRE(back.ok());
  const Dataset pts = synthetic(200, 5);
  CHECK(back->predict(pts.x) == m.predict(pts.x));
  CHECK(back->to_bytes() == bytes);
  CHECK(back->info().factors[1].path == "b.n");
  CHECK(back->info().factors[1].integer);
  CHECK(back->info().factors[0].base == 1);
  CHECK(back->info().kpis == std::vector<std::string>{"smooth", "wide"});
  // A copy is independent and predicts the same.
  SurrogateModel copy = *back;
  CHECK(copy.predict(pts.x) == m.predict(pts.x));
}

TEST_CASE("Damaged or foreign model files are refused with one clear sentence") {
  const std::string bytes = trained().to_bytes();
  auto refused = [](const std::string& b) {
    auto r = SurrogateModel::from_bytes(b, "m.model");
    REQUIRE_FALSE(r.ok());
    const std::string msg = r.error().message();
    CHECK(has(msg, "m.model"));
    CHECK(msg.find('\n') == std::string::npos);
    return msg;
  };
  CHECK(has(refused(""), "not a linetwin surrogate model"));
  CHECK(has(refused("name: Two-station line\nstations: []\n"), "not a linetwin surrogate model"));
  CHECK(has(refused(bytes.substr(0, bytes.size() / 2)), "cut short"));
  CHECK(has(refused(bytes.substr(0, 40)), "not a valid linetwin model"));
  std::string flipped = bytes;
  flipped[flipped.size() - 100] ^= 0x20;
  CHECK(has(refused(flipped), "checksum"));
  std::string range = bytes;
  range.replace(range.find("factor 0 4"), 10, "factor 0 5");  // a damaged header
  CHECK(has(refused(range), "checksum"));
  std::string version = bytes;
  version.replace(version.find(" 1\n"), 3, " 9\n");
  CHECK(has(refused(version), "version 9"));
  std::string crlf;  // a copy in text mode: every LF became CRLF
  for (char c : bytes) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  CHECK(has(refused(crlf), "m.model:1: not a valid linetwin model: its lines end in CRLF"));
  CHECK(has(refused(bytes.substr(0, 12)), "not a linetwin surrogate model"));  // a cut magic
  // A well-formed file whose weights do not fit the network its header describes.
  std::string weights;
  auto header = surrogates::detail::parse_model_file(bytes, "m.model", weights);
  REQUIRE(header.ok());
  header->width = 33;
  CHECK(has(refused(surrogates::detail::model_file_bytes(*header, weights)), "do not fit"));
  CHECK_FALSE(SurrogateModel::load("/nonexistent/m.model").ok());
}

TEST_CASE("Names the reader accepts write back to a model file that reads again (found by fuzzing)") {
  // A header without a scenario line reads, with an empty name, and a name may start with a
  // space; both used to be written so that they did not read back (or not the same).
  std::string weights;
  auto header = surrogates::detail::parse_model_file(trained().to_bytes(), "m.model", weights);
  REQUIRE(header.ok());
  for (const std::string name : {"", " padded", "  "}) {
    CAPTURE(name);
    header->info.scenario = name;
    auto back = SurrogateModel::from_bytes(surrogates::detail::model_file_bytes(*header, weights), "m.model");
    REQUIRE(back.ok());
    CHECK(back->info().scenario == (name.empty() ? "-" : name));
    auto again = SurrogateModel::from_bytes(back->to_bytes(), "m.model");
    REQUIRE(again.ok());
    CHECK(again->to_bytes() == back->to_bytes());
  }
}

TEST_CASE("Gradients by autograd agree with finite differences") {
  const SurrogateModel& m = trained();
  const std::vector<double> x = {1.3, 3.0, 2.2, 5.0};  // two points
  std::vector<double> value(2), grad(4);
  m.kpi_gradient(x.data(), 2, 0, value.data(), grad.data());
  const auto y = m.predict(x);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(value[i] == doctest::Approx(y[i * 2]).epsilon(1e-5));
    for (size_t j = 0; j < 2; ++j) {
      std::vector<double> up = x, down = x;
      const double h = 1e-2;
      up[i * 2 + j] += h;
      down[i * 2 + j] -= h;
      const double fd = (m.predict(up)[i * 2] - m.predict(down)[i * 2]) / (2 * h);
      CHECK(grad[i * 2 + j] == doctest::Approx(fd).epsilon(0.02).scale(0.05));
    }
  }
  // The smooth KPI's slope in x is cos(x), its slope in n is 0.3.
  CHECK(grad[0] == doctest::Approx(std::cos(1.3)).epsilon(0.1).scale(0.1));
  CHECK(grad[1] == doctest::Approx(0.3).epsilon(0.1).scale(0.1));
}

TEST_CASE("Points outside the trained ranges or between integers are refused unless extrapolating") {
  const SurrogateModel& m = trained();
  const double inside[2] = {2, 3}, outside[2] = {5, 3}, fractional[2] = {2, 2.5};
  CHECK_FALSE(m.check_point(inside, false, "--set"));
  auto e = m.check_point(outside, false, "--set");
  REQUIRE(e);
  CHECK(has(e->message(), "key 'a.x': 5 is outside the range the model was trained on, [0, 4]"));
  CHECK(has(e->message(), "--extrapolate"));
  CHECK(m.check_point(fractional, false, "--set"));
  CHECK_FALSE(m.check_point(outside, true, "--set"));
}

TEST_CASE("R^2 and MAPE follow their definitions") {
  const auto s = surrogates::score_values("k", {1, 2, 3, 4}, {1.1, 1.9, 3.2, 3.8});
  // residuals .1 -.1 .2 -.2: SS_res = .1, SS_tot = 5; APE .1, .05, .0667, .05.
  CHECK(s.r2 == doctest::Approx(1 - 0.1 / 5));
  CHECK(s.mape == doctest::Approx(100 * (0.1 + 0.05 + 0.2 / 3 + 0.05) / 4));
  const auto flat = surrogates::score_values("lost", {0, 0, 0}, {0.1, 0, 0});
  CHECK(std::isnan(flat.r2));
  CHECK(std::isnan(flat.mape));
}

TEST_CASE("A sweep simulates each point as the scenario with its factor overrides") {
  const std::string text = R"(name: sweep test
horizon: 2000
replications: 3
products: [{name: A, route: [m1, m2]}]
sources: [{name: s, product: A, interarrival: {dist: exponential, mean: 2}}]
stations:
  - {name: m1, process: {dist: exponential, mean: 1}}
  - {name: m2, process: {dist: exponential, mean: 1}, machines: 1}
factors:
  - {path: stations.m2.machines, range: [1, 3], integer: true}
  - {path: sources.s.interarrival.mean, range: [1.5, 3]}
)";
  auto sampler = surrogates::ScenarioSampler::from_text(text, "t.yaml");
  REQUIRE(sampler.ok());
  const auto design = surrogates::make_design(sampler->factors(), surrogates::DesignKind::kLhs, 6, 1);
  auto one = surrogates::sweep(*sampler, design, 1);
  auto two = surrogates::sweep(*sampler, design, 2);
  REQUIRE(one.ok());
  REQUIRE(two.ok());
  CHECK(one->mean == two->mean);  // whatever the threads
  CHECK(one->rows() == 6);
  // Row i is the line at design point i: arrivals at rate 1 / mean, all of them finished.
  for (size_t i = 0; i < 6; ++i)
    CHECK(one->mean[i * 4] == doctest::Approx(1 / design.row(i)[1]).epsilon(0.1));
  auto no_factors = surrogates::ScenarioSampler::from_text(text.substr(0, text.find("factors:")), "t.yaml");
  REQUIRE_FALSE(no_factors.ok());
  CHECK(has(no_factors.error().message(), "no factors"));
  auto empty = surrogates::sweep(*sampler, surrogates::Design{2, {}}, 1);
  REQUIRE_FALSE(empty.ok());
  CHECK(has(empty.error().message(), "no points"));
}
