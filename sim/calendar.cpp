#include "sim/calendar.hpp"

#include <algorithm>
#include <cmath>

namespace linetwin::sim {
namespace {

std::string span(const Interval& i) { return "[" + std::to_string(i.from) + ", " + std::to_string(i.to) + "]"; }

// The union of intervals, sorted, touching ones joined.
std::vector<Interval> merged(std::vector<Interval> v) {
  std::sort(v.begin(), v.end(), [](const Interval& a, const Interval& b) { return a.from < b.from; });
  std::vector<Interval> out;
  for (const Interval& i : v) {
    if (!out.empty() && i.from <= out.back().to) {
      out.back().to = std::max(out.back().to, i.to);
    } else {
      out.push_back(i);
    }
  }
  return out;
}

// `work` without the `breaks` (both merged).
std::vector<Interval> without(const std::vector<Interval>& work, const std::vector<Interval>& breaks) {
  std::vector<Interval> out;
  for (Interval w : work) {
    for (const Interval& b : breaks) {
      if (b.to <= w.from || b.from >= w.to) continue;
      if (b.from > w.from) out.push_back({w.from, b.from});
      w.from = std::max(w.from, b.to);
    }
    if (w.from < w.to) out.push_back(w);
  }
  return out;
}

}  // namespace

std::string check_calendar(const CalendarDef& def) {
  const std::string name = "calendar '" + def.name + "'";
  if (!(def.period > 0) || !std::isfinite(def.period)) return name + " has a period that is not a time above 0";
  if (def.work.empty()) return name + " has no working intervals";
  for (const auto* list : {&def.work, &def.breaks})
    for (const Interval& i : *list)
      if (!(i.from >= 0 && i.from < i.to && i.to <= def.period))
        return name + " has an interval " + span(i) + " that is empty or outside its period [0, " +
               std::to_string(def.period) + "]";
  const std::vector<Interval> work = merged(def.work);
  for (const Interval& b : def.breaks) {
    bool inside = false;
    for (const Interval& w : work) inside = inside || (w.from <= b.from && b.to <= w.to);
    if (!inside) return name + " has a break " + span(b) + " outside its working intervals";
  }
  if (without(work, merged(def.breaks)).empty()) return name + " leaves no working time: its breaks fill its shifts";
  return {};
}

Calendar::Calendar(const CalendarDef& def) : period_(def.period) {
  for (const Interval& i : without(merged(def.work), merged(def.breaks))) {
    from_.push_back(i.from);
    to_.push_back(i.to);
    before_.push_back(per_period_);
    per_period_ += i.to - i.from;
    after_.push_back(per_period_);
  }
  // A period that ends at work the next begins with runs on without a flip.
  const bool wraps = from_.front() == 0 && to_.back() == period_;
  for (size_t j = 0; j < from_.size(); ++j) {
    if (!(wraps && j == 0)) flips_.push_back({from_[j], true});
    if (!(wraps && j + 1 == from_.size())) flips_.push_back({to_[j] == period_ ? 0.0 : to_[j], false});
  }
  std::stable_sort(flips_.begin(), flips_.end(), [](const Flip& a, const Flip& b) { return a.t < b.t; });
}

double Calendar::working(double t) const {
  const double cycles = std::floor(t / period_);
  const double r = t - cycles * period_;
  const auto j = std::upper_bound(from_.begin(), from_.end(), r) - from_.begin() - 1;
  double w = 0;
  if (j >= 0) w = before_[size_t(j)] + std::min(r - from_[size_t(j)], to_[size_t(j)] - from_[size_t(j)]);
  return cycles * per_period_ + w;
}

double Calendar::when(double w) const {
  if (!std::isfinite(w)) return w;
  if (!(w > 0)) return 0;
  double cycles = std::floor(w / per_period_);
  double r = w - cycles * per_period_;
  if (!(r > 0)) {  // reached at the end of the previous period's work
    cycles -= 1;
    r = per_period_;
  }
  r = std::min(r, per_period_);
  const auto j = size_t(std::lower_bound(after_.begin(), after_.end(), r) - after_.begin());
  const size_t k = std::min(j, from_.size() - 1);
  return cycles * period_ + from_[k] + (r - before_[k]);
}

bool Calendar::works(double t) const {
  const double r = t - std::floor(t / period_) * period_;
  const auto j = std::upper_bound(from_.begin(), from_.end(), r) - from_.begin() - 1;
  return j >= 0 && r < to_[size_t(j)];
}

std::vector<Interval> Calendar::intervals() const {
  std::vector<Interval> out;
  for (size_t j = 0; j < from_.size(); ++j) out.push_back({from_[j], to_[j]});
  return out;
}

}  // namespace linetwin::sim
