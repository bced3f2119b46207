#include "sim/stats.hpp"

#include <algorithm>

#include <cmath>
#include <limits>

namespace linetwin::sim {
namespace {

// Regularized incomplete beta I_x(a, b) by Lentz's continued fraction (Numerical Recipes 6.4).
double beta_cf(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2));
    d = 1.0 + aa * d; if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c; if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d; h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2));
    d = 1.0 + aa * d; if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c; if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < 1e-15) break;
  }
  return h;
}

double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double lbt = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) +
                     b * std::log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(lbt) * beta_cf(a, b, x) / a;
  return 1.0 - std::exp(lbt) * beta_cf(b, a, 1.0 - x) / b;
}

// P(T <= t) for Student's t with df degrees of freedom.
double student_t_cdf(double t, double df) {
  const double x = df / (df + t * t);
  const double tail = 0.5 * incomplete_beta(0.5 * df, 0.5, x);
  return t >= 0 ? 1.0 - tail : tail;
}

}  // namespace

double Summary::se() const {
  return n > 0 ? sd / std::sqrt(static_cast<double>(n)) : std::numeric_limits<double>::quiet_NaN();
}

double student_t_quantile(double p, double df) {
  if (p == 0.5) return 0.0;
  // Bisection on the CDF: monotone, and 200 halvings reach double precision.
  double lo = -1e4, hi = 1e4;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (student_t_cdf(mid, df) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

Summary summarize(const std::vector<double>& values) {
  Summary s;
  double sum = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    sum += v;
    ++s.n;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (s.n == 0) return Summary{nan, nan, nan, 0};
  s.mean = sum / static_cast<double>(s.n);
  if (s.n < 2) {
    s.half_width = nan;
    s.sd = nan;
    return s;
  }
  double ss = 0;
  for (double v : values)
    if (!std::isnan(v)) ss += (v - s.mean) * (v - s.mean);
  const double n = static_cast<double>(s.n);
  s.sd = std::sqrt(ss / (n - 1));
  s.half_width = student_t_quantile(0.975, n - 1) * s.sd / std::sqrt(n);
  return s;
}

Summary summarize_within(const std::vector<double>& values, double floor, double ceiling) {
  Summary s = summarize(values);
  s.floor = floor;
  s.ceiling = ceiling;
  return s;
}

Summary summarize_difference(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d(a.size());
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    // Two figures that agree to within a few ulps are equal: the rest is the rounding of the sums
    // that made them (a planner read -4.441e-17 as a change).
    const double diff = b[i] - a[i];
    d[i] = std::abs(diff) <= 1e-12 * std::max(std::abs(a[i]), std::abs(b[i])) ? 0.0 : diff;
  }
  return summarize(d);
}

}  // namespace linetwin::sim
