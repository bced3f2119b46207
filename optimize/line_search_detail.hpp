// Private to optimize/: what the line-search methods share. The evaluator owns the search space
// (snapping, the budget) and every simulator run made so far, so that no setting is simulated
// twice; the methods only propose settings.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "optimize/line_search.hpp"
#include "sim/random.hpp"

namespace linetwin::optimize::detail {

using Point = std::vector<double>;

/// A surrogate's prediction of the objective's score (larger is better) and its gradient.
class SurrogateObjective {
 public:
  /// An Error when the model's factors are not `factors` (in any order) or it lacks the KPI.
  static Result<SurrogateObjective> make(const surrogates::SurrogateModel& model,
                                         const std::vector<scenarios::Factor>& factors,
                                         const scenarios::Objective& objective, const std::string& file);
  /// Scores and gradients with respect to the raw factor values (scenario order), at xs.
  void evaluate(const std::vector<Point>& xs, std::vector<double>& score, std::vector<Point>& grad) const;
  std::vector<double> scores(const std::vector<Point>& xs) const;

 private:
  const surrogates::SurrogateModel* model_ = nullptr;
  std::vector<size_t> column_;  // the model's input j is the scenario's factor column_[j]
  size_t kpi_ = 0;
  double sign_ = 1;
  std::vector<double> cost_;    // per factor, per unit
};

/// Projected Adam ascent of the surrogate's score from each start, in the factors' box with
/// integer factors relaxed; returns where each climb ends.
std::vector<Point> climb(const SurrogateObjective& so, const std::vector<scenarios::Factor>& factors,
                         std::vector<Point> starts);

class LineEvaluator {
 public:
  LineEvaluator(const surrogates::ScenarioSampler& sampler, const scenarios::Objective& objective,
                const LineSearchOptions& options);

  const std::vector<scenarios::Factor>& factors() const { return sampler_.factors(); }
  size_t dims() const { return factors().size(); }
  const scenarios::Objective& objective() const { return objective_; }
  const LineSearchOptions& options() const { return options_; }
  const surrogates::ScenarioSampler& sampler() const { return sampler_; }
  sim::Rng& rng() { return rng_; }

  /// x clamped into the ranges, integers rounded, continuous values to 1/1000 of their range.
  Point snap(Point x) const;
  /// A uniform random point of the space.
  Point random_point();
  /// Larger is better: the objective, negated when minimizing.
  double score(double objective) const { return objective_.maximize ? objective : -objective; }
  /// The score of a simulated point (-inf when infeasible).
  double score_of(const LinePoint& p) const;

  /// Simulates those of `xs` (snapped first unless `exact`) not simulated yet, while the budget
  /// lasts, in parallel; returns each one's index in points(), -1 where the budget ran out.
  Result<std::vector<long>> evaluate(const std::vector<Point>& xs, bool exact = false);
  /// The index of an already simulated point, or -1.
  long find(const Point& x) const;
  uint64_t remaining() const { return options_.budget - std::min<uint64_t>(options_.budget, points_.size()); }
  /// Distinct points of the space (UINT64_MAX when a factor is continuous or the count is huge).
  uint64_t space_size() const { return space_size_; }
  /// True once every point of a finite space has been simulated.
  bool exhausted() const { return points_.size() >= space_size_ + (baseline_outside_ ? 1 : 0); }
  const std::vector<LinePoint>& points() const { return points_; }
  long best_index() const { return best_; }
  const std::vector<double>& trace() const { return trace_; }

  /// The surrogate that screens candidates, if any (given, or trained by the gradient method).
  const surrogates::SurrogateModel* surrogate() const { return surrogate_ ? surrogate_->model : nullptr; }
  /// The surrogate's view of the objective (only when surrogate() is set).
  const SurrogateObjective& surrogate_objective() const { return surrogate_->objective; }
  /// Makes `model` the surrogate (it must outlive the search); an Error if its factors differ.
  Result<bool> use_surrogate(const surrogates::SurrogateModel* model);
  /// Forgets the surrogate (before a model the search trained goes away).
  void drop_surrogate() { surrogate_.reset(); }
  /// Scores predicted by the surrogate (larger is better), in the order of xs.
  std::vector<double> predicted_scores(const std::vector<Point>& xs) const { return surrogate_->objective.scores(xs); }
  uint64_t surrogate_samples = 0;

 private:
  const surrogates::ScenarioSampler& sampler_;
  scenarios::Objective objective_;
  LineSearchOptions options_;
  sim::Rng rng_;
  std::vector<LinePoint> points_;
  std::map<Point, long> index_;
  std::vector<double> trace_;
  long best_ = -1;
  uint64_t space_size_ = UINT64_MAX;
  bool baseline_outside_ = false;
  struct Screen {
    const surrogates::SurrogateModel* model;
    SurrogateObjective objective;
  };
  std::optional<Screen> surrogate_;
};

Result<bool> search_grid(LineEvaluator& ev);
Result<bool> search_random(LineEvaluator& ev);
Result<bool> search_anneal(LineEvaluator& ev);
Result<bool> search_ga(LineEvaluator& ev);
Result<bool> search_gradient(LineEvaluator& ev);

/// A neighbour of x: one or two factors moved by about `step` of their range (at least one
/// unit for an integer factor).
Point neighbour(LineEvaluator& ev, const Point& x, double step);

}  // namespace linetwin::optimize::detail
