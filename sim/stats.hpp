// Statistics over replications: means and Student-t 95% intervals, paired differences.
// Standard library only.
#pragma once
#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

namespace linetwin::sim {

/// A KPI over replications: its mean and the half-width of its 95% interval (NaN for n < 2).
struct Summary {
  double mean = 0;
  double half_width = 0;  // NaN when there is one replication
  double sd = 0;          // sample standard deviation over replications
  size_t n = 0;
  // The range the figure can take (a throughput is never negative, a fraction never above 1):
  // the Student-t interval is cut to it, so that it never claims values the figure cannot have.
  double floor = -std::numeric_limits<double>::infinity();
  double ceiling = std::numeric_limits<double>::infinity();
  double lo() const { return std::max(mean - half_width, floor); }
  double hi() const { return std::min(mean + half_width, ceiling); }
  /// The standard error of the mean.
  double se() const;
};

/// The p-quantile of Student's t with `df` degrees of freedom (p in (0, 1)).
double student_t_quantile(double p, double df);

/// Mean and Student-t 95% interval of `values`; NaN values (a KPI with no data) are skipped.
Summary summarize(const std::vector<double>& values);

/// The same for a figure that lies in [floor, ceiling]: the interval is cut to that range.
Summary summarize_within(const std::vector<double>& values, double floor, double ceiling);

/// Mean and interval of b[i] - a[i] (paired, common random numbers).
Summary summarize_difference(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace linetwin::sim
