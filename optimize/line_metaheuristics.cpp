// Simulated annealing and a genetic algorithm over a line's factors, evaluating with the
// simulator. With a surrogate, each step proposes many candidates and simulates only the one
// (or the few) the surrogate rates best.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "optimize/line_search_detail.hpp"
#include "surrogates/design.hpp"

namespace linetwin::optimize::detail {
namespace {

constexpr int kScreen = 16;  // candidates per simulated one when a surrogate screens them

double progress_of(const LineEvaluator& ev) {
  return static_cast<double>(ev.points().size()) / static_cast<double>(ev.options().budget);
}

// Of `candidates`, up to `keep` not simulated yet, the surrogate's favourites first when there
// is one; duplicates once.
std::vector<Point> choose(const LineEvaluator& ev, std::vector<Point> candidates, size_t keep) {
  std::vector<Point> fresh;
  for (auto& c : candidates)
    if (ev.find(c) < 0 && std::find(fresh.begin(), fresh.end(), c) == fresh.end()) fresh.push_back(std::move(c));
  if (ev.surrogate() && fresh.size() > keep) {
    const std::vector<double> s = ev.predicted_scores(fresh);
    std::vector<size_t> order(fresh.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return s[a] > s[b]; });
    std::vector<Point> best;
    for (size_t i = 0; i < keep; ++i) best.push_back(fresh[order[i]]);
    return best;
  }
  if (fresh.size() > keep) fresh.resize(keep);
  return fresh;
}

}  // namespace

Result<bool> search_anneal(LineEvaluator& ev) {
  long cur = ev.best_index() >= 0 ? ev.best_index() : 0;
  double mean_delta = 0;  // running mean of |score change| of simulated moves: the temperature's scale
  uint64_t deltas = 0;
  const uint64_t max_steps = 50 * ev.options().budget + 1000;
  for (uint64_t step = 0; step < max_steps && ev.remaining() > 0 && !ev.exhausted(); ++step) {
    const double t = progress_of(ev);
    const double width = 0.25 * std::pow(0.08, t);  // step size: a quarter of the range down to 2%
    const Point& x = ev.points()[static_cast<size_t>(cur)].x;
    std::vector<Point> proposals;
    for (int i = 0; i < (ev.surrogate() ? kScreen : 1); ++i) proposals.push_back(neighbour(ev, x, width));
    std::vector<Point> picked = choose(ev, proposals, 1);
    const Point y = picked.empty() ? proposals.front() : picked.front();
    auto r = ev.evaluate({y});
    if (!r) return r.error();
    const long k = r->front();
    if (k < 0) break;
    const double s_new = ev.score_of(ev.points()[static_cast<size_t>(k)]);
    const double s_cur = ev.score_of(ev.points()[static_cast<size_t>(cur)]);
    const double delta = s_new - s_cur;
    if (std::isfinite(delta) && !picked.empty()) mean_delta += (std::fabs(delta) - mean_delta) / static_cast<double>(++deltas);
    const double temperature = mean_delta * std::pow(0.01, t);  // from the typical change down to 1% of it
    if (delta >= 0 || (std::isfinite(delta) && temperature > 0 && ev.rng().uniform() < std::exp(delta / temperature)))
      cur = k;
    // Now and then go back to the best so far, so that a late wander costs little.
    if (ev.best_index() >= 0 && ev.rng().uniform() < 0.05) cur = ev.best_index();
  }
  return true;
}

Result<bool> search_ga(LineEvaluator& ev) {
  const size_t pop_size = std::clamp<size_t>(static_cast<size_t>(ev.options().budget / 6), 6, 20);
  // The first population: the baseline and a Latin hypercube.
  const auto lhs = surrogates::make_design(ev.factors(), surrogates::DesignKind::kLhs, pop_size - 1, ev.options().seed);
  std::vector<Point> first;
  for (size_t i = 0; i < lhs.points(); ++i) first.emplace_back(lhs.row(i), lhs.row(i) + ev.dims());
  auto r = ev.evaluate(first);
  if (!r) return r.error();
  std::vector<long> pop = *r;
  pop.push_back(0);
  auto tidy = [&] {  // unique, simulated, best first, at most pop_size
    std::erase(pop, -1L);
    std::sort(pop.begin(), pop.end());
    pop.erase(std::unique(pop.begin(), pop.end()), pop.end());
    std::stable_sort(pop.begin(), pop.end(), [&](long a, long b) {
      return ev.score_of(ev.points()[static_cast<size_t>(a)]) > ev.score_of(ev.points()[static_cast<size_t>(b)]);
    });
    if (pop.size() > pop_size) pop.resize(pop_size);
  };
  tidy();
  auto pick = [&]() -> const Point& {  // binary tournament
    const size_t a = std::min(pop.size() - 1, static_cast<size_t>(ev.rng().uniform() * static_cast<double>(pop.size())));
    const size_t b = std::min(pop.size() - 1, static_cast<size_t>(ev.rng().uniform() * static_cast<double>(pop.size())));
    return ev.points()[static_cast<size_t>(pop[std::min(a, b)])].x;  // pop is sorted best first
  };
  for (int generation = 0; generation < 10000 && ev.remaining() > 0 && !ev.exhausted(); ++generation) {
    const size_t want = std::min<uint64_t>(ev.remaining(), std::max<size_t>(2, pop_size / 2));
    const double width = 0.15 * std::pow(0.2, progress_of(ev));
    std::vector<Point> children;
    const size_t tries = (ev.surrogate() ? kScreen : 4) * want;
    for (size_t i = 0; i < tries; ++i) {
      const Point& a = pick();
      const Point& b = pick();
      Point c(ev.dims());
      for (size_t j = 0; j < ev.dims(); ++j) {
        const double u = ev.rng().uniform();
        if (ev.factors()[j].integer)
          c[j] = u < 0.5 ? a[j] : b[j];
        else
          c[j] = a[j] + (1.5 * u - 0.25) * (b[j] - a[j]);  // blend, a little beyond both parents
      }
      c = ev.snap(c);
      if (ev.rng().uniform() < 0.4 || c == a || c == b) c = neighbour(ev, c, width);
      children.push_back(std::move(c));
    }
    std::vector<Point> chosen = choose(ev, children, want);
    if (chosen.empty()) {  // the population has converged: look around the best instead
      std::vector<Point> around;
      const Point& best = ev.points()[static_cast<size_t>(pop.front())].x;
      for (size_t i = 0; i < 8 * want; ++i) around.push_back(neighbour(ev, best, 2 * width));
      for (size_t i = 0; i < want; ++i) around.push_back(ev.random_point());
      chosen = choose(ev, around, want);
      if (chosen.empty()) break;
    }
    auto idx = ev.evaluate(chosen);
    if (!idx) return idx.error();
    pop.insert(pop.end(), idx->begin(), idx->end());
    tidy();
  }
  return true;
}

}  // namespace linetwin::optimize::detail
