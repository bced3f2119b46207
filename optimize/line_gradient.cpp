// The gradient method: a surrogate's objective climbed by projected Adam from several starts,
// integer factors relaxed during the climb and rounded after it, the best candidates verified
// with the simulator. Without a given surrogate, one is trained on a Latin hypercube that takes
// part of the budget, and retrained on every verified point between rounds.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "optimize/line_search_detail.hpp"
#include "surrogates/design.hpp"

namespace linetwin::optimize::detail {
namespace {

constexpr int kStarts = 24;
constexpr int kSteps = 200;
constexpr double kStepSize = 0.05;    // in the scaled space [-1, 1] per factor
constexpr size_t kMinTraining = 12;

// The settings near a relaxed point: every integer factor rounded down and up (all combinations
// for up to four of them, else to the nearest with one flipped at a time).
std::vector<Point> roundings(const LineEvaluator& ev, const Point& x) {
  std::vector<size_t> ints;
  for (size_t j = 0; j < ev.dims(); ++j)
    if (ev.factors()[j].integer && x[j] != std::round(x[j])) ints.push_back(j);
  std::vector<Point> out;
  if (ints.size() <= 4) {
    for (size_t mask = 0; mask < (size_t{1} << ints.size()); ++mask) {
      Point y = x;
      for (size_t b = 0; b < ints.size(); ++b) y[ints[b]] = (mask >> b) & 1 ? std::ceil(x[ints[b]]) : std::floor(x[ints[b]]);
      out.push_back(ev.snap(y));
    }
  } else {
    out.push_back(ev.snap(x));
    for (size_t j : ints) {
      Point y = ev.snap(x);
      y[j] = std::round(x[j]) == std::floor(x[j]) ? std::ceil(x[j]) : std::floor(x[j]);
      out.push_back(ev.snap(y));
    }
  }
  return out;
}

surrogates::Dataset dataset_of(const LineEvaluator& ev) {
  surrogates::Dataset d;
  for (const auto& f : ev.factors()) d.factors.push_back(f.path);
  d.kpis = sim::kpi_names();
  std::vector<double> mean(d.kpis.size()), half(d.kpis.size());
  for (const auto& p : ev.points()) {
    surrogates::kpi_row(p.result, mean.data(), half.data());
    d.add(p.x.data(), mean.data(), half.data());
  }
  return d;
}

Result<surrogates::SurrogateModel> fit(const LineEvaluator& ev) {
  const auto& sc = ev.sampler().scenario();
  surrogates::ModelInfo info = surrogates::model_info(sc);
  surrogates::TrainOptions options;
  options.holdout = 0;  // every point trains; the simulator checks what the model proposes
  options.seed = ev.options().seed;
  options.max_epochs = 2000;  // retrained every round: shorter than a model meant to be kept
  options.patience = 200;
  return surrogates::SurrogateModel::train(info, dataset_of(ev), options);
}

}  // namespace

std::vector<Point> climb(const SurrogateObjective& so, const std::vector<scenarios::Factor>& factors,
                         std::vector<Point> xs) {
  const size_t n = xs.size(), d = factors.size();
  std::vector<Point> m(n, Point(d, 0)), v(n, Point(d, 0));
  std::vector<double> scores;
  std::vector<Point> grads;
  for (int t = 1; t <= kSteps; ++t) {
    // Steps shrink linearly to a few thousandths of the range, so that the climbs settle.
    const double rate = kStepSize * (1 - 0.95 * (t - 1) / kSteps);
    so.evaluate(xs, scores, grads);
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < d; ++j) {
        const auto& f = factors[j];
        const double half = (f.hi - f.lo) / 2;
        const double g = grads[i][j] * half;  // d score / d scaled value
        m[i][j] = 0.9 * m[i][j] + 0.1 * g;
        v[i][j] = 0.999 * v[i][j] + 0.001 * g * g;
        const double mh = m[i][j] / (1 - std::pow(0.9, t)), vh = v[i][j] / (1 - std::pow(0.999, t));
        const double u = (xs[i][j] - f.lo) / half - 1 + rate * mh / (std::sqrt(vh) + 1e-12);
        xs[i][j] = f.lo + (std::clamp(u, -1.0, 1.0) + 1) * half;
      }
  }
  return xs;
}

Result<bool> search_gradient(LineEvaluator& ev) {
  std::optional<surrogates::SurrogateModel> own;
  const bool trains = ev.surrogate() == nullptr;
  if (trains) {
    const uint64_t n0 = std::max<uint64_t>(kMinTraining, (ev.options().budget * 3) / 5);
    if (ev.remaining() < n0 + 1)
      return Error::in(ev.sampler().scenario().file, "the gradient method trains a surrogate on part of the budget and needs at least " +
                       std::to_string(kMinGradientBudget) + " simulator runs; raise --budget or give --surrogate MODEL");
    const auto lhs = surrogates::make_design(ev.factors(), surrogates::DesignKind::kLhs, n0, ev.options().seed);
    std::vector<Point> xs;
    for (size_t i = 0; i < lhs.points(); ++i) xs.emplace_back(lhs.row(i), lhs.row(i) + ev.dims());
    auto r = ev.evaluate(xs);
    if (!r) return r.error();
    ev.surrogate_samples = ev.points().size() - 1;
  }
  for (int round = 0; ev.remaining() > 0 && !ev.exhausted() && round < 20; ++round) {
    if (trains) {
      auto model = fit(ev);
      if (!model) return model.error();
      own = std::move(*model);
      if (auto ok = ev.use_surrogate(&*own); !ok) return ok.error();
    }
    // Starts: the best simulated settings and a Latin hypercube of the relaxed space.
    std::vector<long> order(ev.points().size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](long a, long b) {
      return ev.score_of(ev.points()[static_cast<size_t>(a)]) > ev.score_of(ev.points()[static_cast<size_t>(b)]);
    });
    std::vector<Point> starts;
    for (size_t i = 0; i < std::min<size_t>(4, order.size()); ++i) starts.push_back(ev.points()[static_cast<size_t>(order[i])].x);
    std::vector<scenarios::Factor> relaxed = ev.factors();
    for (auto& f : relaxed) f.integer = false;
    const auto lhs = surrogates::make_design(relaxed, surrogates::DesignKind::kLhs, kStarts - starts.size(),
                                             ev.options().seed + 7919 * static_cast<uint64_t>(round + 1));
    for (size_t i = 0; i < lhs.points(); ++i) starts.emplace_back(lhs.row(i), lhs.row(i) + ev.dims());
    const std::vector<Point> ends = climb(ev.surrogate_objective(), ev.factors(), starts);

    // Candidates near the summits, the surrogate's favourites verified by the simulator.
    std::vector<Point> candidates;
    for (const auto& e : ends)
      for (auto& c : roundings(ev, e)) candidates.push_back(std::move(c));
    std::vector<Point> fresh;
    for (auto& c : candidates)
      if (ev.find(c) < 0 && std::find(fresh.begin(), fresh.end(), c) == fresh.end()) fresh.push_back(std::move(c));
    // A few per round, so that the model learns from what it got wrong.
    const size_t batch = static_cast<size_t>(std::max<uint64_t>(1, std::min<uint64_t>(ev.remaining(), std::max<uint64_t>(2, ev.options().budget / 10))));
    if (fresh.size() < batch) {
      // The summits are simulated already: the surrogate ranks settings near the best ones and
      // across the space too.
      for (size_t i = 0; i < std::min<size_t>(4, order.size()); ++i)
        for (int k = 0; k < 32; ++k) {
          Point c = neighbour(ev, ev.points()[static_cast<size_t>(order[i])].x, 0.1);
          if (ev.find(c) < 0 && std::find(fresh.begin(), fresh.end(), c) == fresh.end()) fresh.push_back(std::move(c));
        }
      for (int k = 0; k < 64; ++k) {
        Point c = ev.random_point();
        if (ev.find(c) < 0 && std::find(fresh.begin(), fresh.end(), c) == fresh.end()) fresh.push_back(std::move(c));
      }
      if (fresh.empty()) break;
    }
    const std::vector<double> s = ev.predicted_scores(fresh);
    std::vector<size_t> rank(fresh.size());
    std::iota(rank.begin(), rank.end(), 0);
    std::stable_sort(rank.begin(), rank.end(), [&](size_t a, size_t b) { return s[a] > s[b]; });
    std::vector<Point> verify;
    for (size_t i = 0; i < std::min(batch, rank.size()); ++i) verify.push_back(fresh[rank[i]]);
    auto r = ev.evaluate(verify);
    if (!r) return r.error();
  }
  if (trains) ev.drop_surrogate();
  return true;
}

}  // namespace linetwin::optimize::detail

namespace linetwin::optimize {

Result<std::vector<double>> surrogate_optimum(const surrogates::SurrogateModel& model,
                                              const std::vector<scenarios::Factor>& factors,
                                              const scenarios::Objective& objective, uint64_t seed, size_t starts) {
  auto so = detail::SurrogateObjective::make(model, factors, objective, model.info().source);
  if (!so) return so.error();
  std::vector<scenarios::Factor> relaxed = factors;
  for (auto& f : relaxed) f.integer = false;
  const auto lhs = surrogates::make_design(relaxed, surrogates::DesignKind::kLhs, std::max<size_t>(1, starts), seed);
  std::vector<detail::Point> xs;
  for (size_t i = 0; i < lhs.points(); ++i) xs.emplace_back(lhs.row(i), lhs.row(i) + factors.size());
  const auto ends = detail::climb(*so, factors, xs);
  const auto scores = so->scores(ends);
  return ends[static_cast<size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin())];
}

}  // namespace linetwin::optimize
