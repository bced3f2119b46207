// The line optimizer: the gradient method against optima known in closed form (a smooth function
// through a trained surrogate; an M/M/1 queue's speed against its cost), every method against
// exhaustive search on a line small enough to enumerate, the budget, reproducibility, and the
// errors a user can cause.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "optimize/line_search.hpp"
#include "surrogates/design.hpp"

using namespace linetwin;

namespace {

const std::string kDir = LINETWIN_SOURCE_DIR "/tests/optimize/scenarios/";

surrogates::ScenarioSampler sampler_of(const std::string& file) {
  auto sc = scenarios::load_scenario(kDir + file);
  REQUIRE(sc.ok());
  auto s = surrogates::ScenarioSampler::open(*sc, {});
  REQUIRE(s.ok());
  return std::move(*s);
}

optimize::LineSearchOptions options(optimize::LineMethod method, uint64_t budget, uint64_t seed = 1) {
  optimize::LineSearchOptions o;
  o.method = method;
  o.budget = budget;
  o.seed = seed;
  o.threads = 1;
  return o;
}

scenarios::Factor factor(const std::string& path, double lo, double hi) {
  scenarios::Factor f;
  f.path = path;
  f.lo = lo;
  f.hi = hi;
  f.base = lo;
  return f;
}

// A surrogate of a smooth KPI with its peak at (0.3, 0.7), learnt from a Latin hypercube.
surrogates::SurrogateModel smooth_model(const std::string& kpi, double (*f)(double, double)) {
  surrogates::ModelInfo info;
  info.scenario = "smooth";
  info.factors = {factor("x", 0, 1), factor("y", 0, 1)};
  info.kpis = {kpi};
  const auto design = surrogates::make_design(info.factors, surrogates::DesignKind::kLhs, 150, 4);
  surrogates::Dataset d;
  d.factors = {"x", "y"};
  d.kpis = {kpi};
  for (size_t i = 0; i < design.points(); ++i) {
    const double y = f(design.row(i)[0], design.row(i)[1]), h = 0;
    d.add(design.row(i), &y, &h);
  }
  surrogates::TrainOptions o;
  o.hidden_layers = 2;
  o.width = 32;
  o.seed = 2;
  auto m = surrogates::SurrogateModel::train(info, d, o);
  REQUIRE(m.ok());
  return std::move(*m);
}

double bump(double x, double y) { return 1 - (x - 0.3) * (x - 0.3) - 2 * (y - 0.7) * (y - 0.7); }
double bowl(double x, double y) { return 1 + (x - 0.6) * (x - 0.6) + (y - 0.2) * (y - 0.2); }

}  // namespace

TEST_CASE("The gradient through a surrogate finds the known optimum of a smooth function") {
  // Maximize bump - 0.2 x: the peak moves to x = 0.3 - 0.1 = 0.2, y = 0.7.
  const auto up = smooth_model("throughput", bump);
  scenarios::Objective max_obj{true, "throughput", {{"x", 0.2}}};
  auto best = optimize::surrogate_optimum(up, up.info().factors, max_obj, 1);
  REQUIRE(best.ok());
  CHECK(std::fabs((*best)[0] - 0.2) < 0.04);
  CHECK(std::fabs((*best)[1] - 0.7) < 0.04);
  // Minimize bowl + 0.1 x: the bottom moves to x = 0.6 - 0.05 = 0.55, y = 0.2.
  const auto down = smooth_model("lead_time", bowl);
  scenarios::Objective min_obj{false, "lead_time", {{"x", 0.1}}};
  best = optimize::surrogate_optimum(down, down.info().factors, min_obj, 1);
  REQUIRE(best.ok());
  CHECK(std::fabs((*best)[0] - 0.55) < 0.04);
  CHECK(std::fabs((*best)[1] - 0.2) < 0.04);
  // A model of other factors, or without the objective's KPI, is refused.
  scenarios::Objective wip{true, "wip", {}};
  CHECK_FALSE(optimize::surrogate_optimum(up, up.info().factors, wip, 1).ok());
  CHECK_FALSE(optimize::surrogate_optimum(up, {factor("z", 0, 1), factor("y", 0, 1)}, max_obj, 1).ok());
}

TEST_CASE("The gradient method finds an M/M/1 queue's best speed against its cost") {
  // W(s) = s / (1 - s); the minimum of W - 4 s is at s = 0.5, where it is -1.
  const auto sampler = sampler_of("mm1_speed.yaml");
  auto r = optimize::optimize_line(sampler, options(optimize::LineMethod::kGradient, 30));
  REQUIRE(r.ok());
  CHECK(r->evaluations <= 30);
  CHECK(r->surrogate_samples > 0);
  CHECK(std::fabs(r->best.x[0] - 0.5) < 0.05);
  CHECK(r->best.objective == doctest::Approx(-1).epsilon(0.03));
  CHECK(r->best.objective < r->baseline.objective);
}

TEST_CASE("On a line small enough to enumerate the searches match exhaustive search with fewer runs") {
  const auto sampler = sampler_of("tiny_line.yaml");
  auto grid = optimize::optimize_line(sampler, options(optimize::LineMethod::kGrid, 100));
  REQUIRE(grid.ok());
  CHECK(grid->evaluations == 36);  // 6 x 6 buffer sizes, the scenario's own among them
  // Within noise: the half-width of the throughput interval at the grid's best.
  std::vector<double> tp;
  for (const auto& rep : grid->best.result.reps) tp.push_back(rep.throughput);
  const double noise = sim::summarize(tp).half_width;
  REQUIRE(noise > 0);
  for (auto method : {optimize::default_line_method(), optimize::LineMethod::kAnneal, optimize::LineMethod::kGa}) {
    CAPTURE(optimize::line_method_name(method));
    auto r = optimize::optimize_line(sampler, options(method, 24));
    REQUIRE(r.ok());
    CHECK(r->evaluations <= 24);
    CHECK(r->best.objective >= grid->best.objective - noise);
  }
  // The default finds the grid's very best here.
  auto r = optimize::optimize_line(sampler, options(optimize::default_line_method(), 20));
  REQUIRE(r.ok());
  CHECK(r->best.x == grid->best.x);
}

TEST_CASE("Every method keeps to its budget and reports the baseline and repeats itself for a seed") {
  const auto sampler = sampler_of("tiny_line.yaml");
  for (auto method : {optimize::LineMethod::kGrid, optimize::LineMethod::kRandom, optimize::LineMethod::kAnneal,
                      optimize::LineMethod::kGa, optimize::LineMethod::kGradient}) {
    CAPTURE(optimize::line_method_name(method));
    auto a = optimize::optimize_line(sampler, options(method, 16, 3));
    auto b = optimize::optimize_line(sampler, options(method, 16, 3));
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->evaluations <= 16);
    CHECK(a->trace.size() == a->evaluations);
    CHECK(a->best.x == b->best.x);
    CHECK(a->best.objective == b->best.objective);
    CHECK(a->baseline.x == std::vector<double>{2, 2});
    CHECK(a->best.objective >= a->baseline.objective);
    CHECK(a->best.objective == a->trace.back());
    for (size_t i = 1; i < a->trace.size(); ++i) CHECK(a->trace[i] >= a->trace[i - 1]);
    // The best is simulated with the scenario's replications, as `linetwin run` would.
    CHECK(a->best.result.reps.size() == 5);
    const double tp = sim::summarize([&] {
      std::vector<double> v;
      for (const auto& rep : a->best.result.reps) v.push_back(rep.throughput);
      return v;
    }()).mean;
    CHECK(a->best.objective == doctest::Approx(tp - 0.02 * (a->best.x[0] + a->best.x[1])));
  }
}

TEST_CASE("A surrogate may choose what the metaheuristics simulate") {
  const auto sampler = sampler_of("tiny_line.yaml");
  const auto design = surrogates::make_design(sampler.factors(), surrogates::DesignKind::kLhs, 30, 1);
  auto data = surrogates::sweep(sampler, design, 1);
  REQUIRE(data.ok());
  surrogates::ModelInfo info;
  info.factors = sampler.factors();
  info.kpis = data->kpis;
  auto model = surrogates::SurrogateModel::train(info, *data, {});
  REQUIRE(model.ok());
  auto grid = optimize::optimize_line(sampler, options(optimize::LineMethod::kGrid, 100));
  REQUIRE(grid.ok());
  for (auto method : {optimize::LineMethod::kGa, optimize::LineMethod::kAnneal, optimize::LineMethod::kGradient}) {
    CAPTURE(optimize::line_method_name(method));
    auto o = options(method, 12);
    o.surrogate = &*model;
    auto r = optimize::optimize_line(sampler, o);
    REQUIRE(r.ok());
    CHECK(r->evaluations <= 12);
    CHECK(r->surrogate_samples == 0);
    CHECK(r->best.objective >= grid->best.objective - 0.01);
  }
}

TEST_CASE("A scenario without objective or a tiny budget for gradient or a foreign surrogate is refused") {
  auto s = surrogates::ScenarioSampler::from_text(R"(name: no objective
products: [{name: A, route: [m1]}]
sources: [{name: s, product: A, interarrival: 2}]
stations: [{name: m1, process: 1}]
factors: [{path: stations.m1.machines, range: [1, 2], integer: true}]
)", "plain.yaml");
  REQUIRE(s.ok());
  auto r = optimize::optimize_line(*s, options(optimize::LineMethod::kGa, 10));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message().find("no objective") != std::string::npos);

  const auto tiny = sampler_of("tiny_line.yaml");
  r = optimize::optimize_line(tiny, options(optimize::LineMethod::kGradient, 8));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message().find("--budget") != std::string::npos);
  r = optimize::optimize_line(tiny, options(optimize::LineMethod::kGa, 0));
  CHECK_FALSE(r.ok());

  const auto other = smooth_model("throughput", bump);
  auto o = options(optimize::LineMethod::kGradient, 20);
  o.surrogate = &other;
  r = optimize::optimize_line(tiny, o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message().find("trained on the factors x, y") != std::string::npos);
}
