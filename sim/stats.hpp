// Statistics over replications: means and Student-t 95% intervals, paired differences.
// Standard library only.
#pragma once
#include <cstddef>
#include <vector>

namespace linetwin::sim {

/// A KPI over replications: its mean and the half-width of its 95% interval (NaN for n < 2).
struct Summary {
  double mean = 0;
  double half_width = 0;  // NaN when there is one replication
  double sd = 0;          // sample standard deviation over replications
  size_t n = 0;
  double lo() const { return mean - half_width; }
  double hi() const { return mean + half_width; }
  /// The standard error of the mean.
  double se() const;
};

/// The p-quantile of Student's t with `df` degrees of freedom (p in (0, 1)).
double student_t_quantile(double p, double df);

/// Mean and Student-t 95% interval of `values`; NaN values (a KPI with no data) are skipped.
Summary summarize(const std::vector<double>& values);

/// Mean and interval of b[i] - a[i] (paired, common random numbers).
Summary summarize_difference(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace linetwin::sim
