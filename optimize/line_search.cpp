// The line search's evaluator (the space, the budget, the simulator runs), the simple methods
// (grid, random) and the entry point. Annealing and the genetic algorithm are in
// line_metaheuristics.cpp, the gradient method in line_gradient.cpp.
#include "optimize/line_search.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <thread>

#include "optimize/line_search_detail.hpp"
#include "surrogates/design.hpp"

namespace linetwin::optimize {

std::optional<LineMethod> line_method(const std::string& name) {
  if (name == "grid") return LineMethod::kGrid;
  if (name == "random") return LineMethod::kRandom;
  if (name == "anneal") return LineMethod::kAnneal;
  if (name == "ga") return LineMethod::kGa;
  if (name == "gradient") return LineMethod::kGradient;
  return std::nullopt;
}

std::string line_method_name(LineMethod method) {
  switch (method) {
    case LineMethod::kGrid: return "grid";
    case LineMethod::kRandom: return "random";
    case LineMethod::kAnneal: return "anneal";
    case LineMethod::kGa: return "ga";
    case LineMethod::kGradient: return "gradient";
  }
  return "grid";
}

LineMethod default_line_method() { return LineMethod::kGradient; }

double objective_value(const scenarios::Objective& objective, const std::vector<scenarios::Factor>& factors,
                       const double* x, double kpi) {
  double cost = 0;
  for (const auto& [path, per_unit] : objective.cost)
    for (size_t j = 0; j < factors.size(); ++j)
      if (factors[j].path == path) cost += per_unit * x[j];
  return objective.maximize ? kpi - cost : kpi + cost;
}

namespace detail {
namespace {

double kpi_mean(const sim::ExperimentResult& r, const std::string& kpi) {
  std::vector<double> v;
  for (const auto& rep : r.reps) v.push_back(sim::kpi_value(rep, kpi));
  return sim::summarize(v).mean;
}

// Continuous values on a decimal lattice of about a thousandth of the range, so that they print
// short and a revisited setting is recognised.
double decimal_snap(double v, double range) {
  const double p = std::pow(10.0, -std::floor(std::log10(range / 1000)));
  return std::round(v * p) / p;
}

}  // namespace

LineEvaluator::LineEvaluator(const surrogates::ScenarioSampler& sampler, const scenarios::Objective& objective,
                             const LineSearchOptions& options)
    : sampler_(sampler), objective_(objective), options_(options), rng_(options.seed ^ 0x11e5ea3c4ULL) {
  long double size = 1;
  for (const auto& f : factors()) size *= f.integer ? static_cast<long double>(surrogates::value_count(f)) : 1e30L;
  space_size_ = size < 1e18L ? static_cast<uint64_t>(size) : UINT64_MAX;
  Point base;
  for (const auto& f : factors()) base.push_back(f.base);
  baseline_outside_ = snap(base) != base;
}

Point LineEvaluator::snap(Point x) const {
  for (size_t j = 0; j < dims(); ++j) {
    const auto& f = factors()[j];
    x[j] = surrogates::snap(f, x[j]);
    if (!f.integer) x[j] = std::clamp(decimal_snap(x[j], f.hi - f.lo), f.lo, f.hi);
  }
  return x;
}

Point LineEvaluator::random_point() {
  Point x(dims());
  for (size_t j = 0; j < dims(); ++j) {
    const auto& f = factors()[j];
    const double u = rng_.uniform();
    x[j] = f.integer ? std::min(f.hi, f.lo + std::floor(u * (f.hi - f.lo + 1))) : f.lo + u * (f.hi - f.lo);
  }
  return snap(x);
}

double LineEvaluator::score_of(const LinePoint& p) const {
  return p.feasible ? score(p.objective) : -std::numeric_limits<double>::infinity();
}

long LineEvaluator::find(const Point& x) const {
  auto it = index_.find(x);
  return it == index_.end() ? -1 : it->second;
}

Result<std::vector<long>> LineEvaluator::evaluate(const std::vector<Point>& xs, bool exact) {
  std::vector<long> out(xs.size(), -1);
  std::vector<Point> todo;
  std::map<Point, size_t> pending;
  std::vector<std::pair<size_t, size_t>> wait;  // (xs index, todo index)
  for (size_t i = 0; i < xs.size(); ++i) {
    Point p = exact ? xs[i] : snap(xs[i]);
    if (long k = find(p); k >= 0) {
      out[i] = k;
    } else if (auto it = pending.find(p); it != pending.end()) {
      wait.emplace_back(i, it->second);
    } else if (todo.size() < remaining()) {
      pending.emplace(p, todo.size());
      wait.emplace_back(i, todo.size());
      todo.push_back(std::move(p));
    }
  }
  if (todo.empty()) return out;

  const uint32_t cores = options_.threads ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
  const bool by_point = todo.size() >= cores;
  std::vector<std::optional<Result<sim::ExperimentResult>>> results(todo.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < todo.size();) results[i] = sampler_.simulate(todo[i].data(), by_point ? 1 : cores);
  };
  if (by_point && cores > 1) {
    std::vector<std::thread> pool;
    for (uint32_t t = 0; t < std::min<size_t>(cores, todo.size()); ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  } else {
    worker();
  }
  std::vector<long> index_of(todo.size());
  for (size_t i = 0; i < todo.size(); ++i) {
    if (!*results[i]) return results[i]->error();
    LinePoint p;
    p.x = todo[i];
    p.result = std::move(results[i]->value());
    const double kpi = kpi_mean(p.result, objective_.kpi);
    p.feasible = !p.result.unstable && std::isfinite(kpi);
    p.objective = p.feasible ? objective_value(objective_, factors(), p.x.data(), kpi) : std::numeric_limits<double>::quiet_NaN();
    const long k = static_cast<long>(points_.size());
    index_of[i] = k;
    index_.emplace(p.x, k);
    points_.push_back(std::move(p));
    if (points_.back().feasible && (best_ < 0 || score_of(points_.back()) > score_of(points_[best_]))) best_ = k;
    trace_.push_back(best_ >= 0 ? points_[best_].objective : std::numeric_limits<double>::quiet_NaN());
    if (options_.progress) options_.progress(static_cast<double>(points_.size()) / static_cast<double>(options_.budget));
  }
  for (auto [i, t] : wait) out[i] = index_of[t];
  return out;
}

Result<SurrogateObjective> SurrogateObjective::make(const surrogates::SurrogateModel& model,
                                                     const std::vector<scenarios::Factor>& factors,
                                                     const scenarios::Objective& objective, const std::string& file) {
  const auto& info = model.info();
  const size_t d = factors.size();
  std::string mine, theirs;
  for (const auto& f : factors) mine += (mine.empty() ? "" : ", ") + f.path;
  for (const auto& f : info.factors) theirs += (theirs.empty() ? "" : ", ") + f.path;
  const Error differ{file, 0, 0, "factors", "the surrogate was trained on the factors " + theirs + ", and the scenario's are " + mine};
  if (info.factors.size() != d) return differ;
  SurrogateObjective so;
  so.model_ = &model;
  so.column_.resize(d);
  for (size_t j = 0; j < d; ++j) {
    size_t c = 0;
    while (c < d && factors[c].path != info.factors[j].path) ++c;
    if (c == d) return differ;
    so.column_[j] = c;
  }
  while (so.kpi_ < info.kpis.size() && info.kpis[so.kpi_] != objective.kpi) ++so.kpi_;
  if (so.kpi_ == info.kpis.size()) return Error::at_key(file, "objective", "the surrogate does not predict " + objective.kpi);
  so.sign_ = objective.maximize ? 1 : -1;
  so.cost_.assign(d, 0);
  for (const auto& [path, per_unit] : objective.cost)
    for (size_t j = 0; j < d; ++j)
      if (factors[j].path == path) so.cost_[j] += per_unit;
  return so;
}

void SurrogateObjective::evaluate(const std::vector<Point>& xs, std::vector<double>& scores,
                                  std::vector<Point>& grads) const {
  const size_t n = xs.size(), d = column_.size();
  std::vector<double> mx(n * d), value(n), g(n * d);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < d; ++j) mx[i * d + j] = xs[i][column_[j]];
  if (n) model_->kpi_gradient(mx.data(), n, kpi_, value.data(), g.data());
  scores.assign(n, 0);
  grads.assign(n, Point(d, 0));
  for (size_t i = 0; i < n; ++i) {
    // score = sign * KPI - costs, whichever the direction (costs always count against).
    double cost = 0;
    for (size_t j = 0; j < d; ++j) cost += cost_[j] * xs[i][j];
    scores[i] = sign_ * value[i] - cost;
    for (size_t j = 0; j < d; ++j) grads[i][column_[j]] = sign_ * g[i * d + j];
    for (size_t j = 0; j < d; ++j) grads[i][j] -= cost_[j];
  }
}

std::vector<double> SurrogateObjective::scores(const std::vector<Point>& xs) const {
  std::vector<double> s;
  std::vector<Point> g;
  evaluate(xs, s, g);
  return s;
}

Result<bool> LineEvaluator::use_surrogate(const surrogates::SurrogateModel* model) {
  auto so = SurrogateObjective::make(*model, factors(), objective_, sampler_.scenario().file);
  if (!so) return so.error();
  surrogate_ = Screen{model, std::move(*so)};
  return true;
}

Point neighbour(LineEvaluator& ev, const Point& x, double step) {
  Point y = x;
  const size_t d = ev.dims();
  const size_t moves = d > 1 && ev.rng().uniform() < 0.3 ? 2 : 1;
  for (size_t m = 0; m < moves; ++m) {
    const size_t j = std::min(d - 1, static_cast<size_t>(ev.rng().uniform() * static_cast<double>(d)));
    const auto& f = ev.factors()[j];
    // A normal step from two uniforms (Box-Muller), scaled to the range.
    const double z = std::sqrt(-2 * std::log(ev.rng().uniform())) * std::cos(6.283185307179586 * ev.rng().uniform());
    double delta = z * step * (f.hi - f.lo);
    if (f.integer) {
      delta = std::round(delta);
      if (delta == 0) delta = ev.rng().uniform() < 0.5 ? -1 : 1;
      if (y[j] + delta < f.lo || y[j] + delta > f.hi) delta = -delta;  // bounce off the edge
    }
    y[j] += delta;
  }
  return ev.snap(y);
}

Result<bool> search_grid(LineEvaluator& ev) {
  // The scenario's own setting, simulated already, may be a point of the grid: one more fits.
  const auto design = surrogates::make_design(ev.factors(), surrogates::DesignKind::kGrid, ev.remaining() + 1, ev.options().seed);
  std::vector<Point> xs;
  for (size_t i = 0; i < design.points(); ++i) xs.emplace_back(design.row(i), design.row(i) + ev.dims());
  auto r = ev.evaluate(xs);
  if (!r) return r.error();
  return true;
}

Result<bool> search_random(LineEvaluator& ev) {
  for (int round = 0; round < 100 && ev.remaining() > 0 && !ev.exhausted(); ++round) {
    std::vector<Point> xs;
    for (uint64_t i = 0; i < ev.remaining(); ++i) xs.push_back(ev.random_point());
    auto r = ev.evaluate(xs);
    if (!r) return r.error();
  }
  return true;
}

}  // namespace detail

Result<LineSearchResult> optimize_line(const surrogates::ScenarioSampler& sampler, const LineSearchOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto& sc = sampler.scenario();
  if (!sc.objective)
    return Error::at_key(sc.file, "objective", "the scenario has no objective to optimize; add one such as objective: {maximize: throughput}");
  if (options.budget == 0) return Error::in(sc.file, "the budget must allow at least one simulator run");
  detail::LineEvaluator ev(sampler, *sc.objective, options);
  if (options.surrogate)
    if (auto ok = ev.use_surrogate(options.surrogate); !ok) return ok.error();
  detail::Point base;
  for (const auto& f : sampler.factors()) base.push_back(f.base);
  auto b = ev.evaluate({base}, true);
  if (!b) return b.error();
  Result<bool> searched = true;
  switch (options.method) {
    case LineMethod::kGrid: searched = detail::search_grid(ev); break;
    case LineMethod::kRandom: searched = detail::search_random(ev); break;
    case LineMethod::kAnneal: searched = detail::search_anneal(ev); break;
    case LineMethod::kGa: searched = detail::search_ga(ev); break;
    case LineMethod::kGradient: searched = detail::search_gradient(ev); break;
  }
  if (!searched) return searched.error();
  if (ev.best_index() < 0)
    return Error::in(sc.file, "no setting the search simulated gave a stable line with a value for " + sc.objective->kpi);
  LineSearchResult r;
  r.baseline = ev.points()[0];
  r.best = ev.points()[static_cast<size_t>(ev.best_index())];
  r.evaluations = ev.points().size();
  r.surrogate_samples = ev.surrogate_samples;
  r.trace = ev.trace();
  r.method = options.method;
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace linetwin::optimize
