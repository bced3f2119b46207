// Datasets of simulated points: factor values and, per KPI, the mean and the half-width of its
// 95% interval over replications; read from and written to CSV. Torch-free; no simulation here.
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace linetwin::surrogates {

/// One row per point: factor values, and per KPI its mean and interval half-width.
struct Dataset {
  std::vector<std::string> factors;  // factor paths, the CSV's first columns
  std::vector<std::string> kpis;     // KPI names (columns KPI_mean, KPI_ci95)
  std::vector<double> x;             // rows * factors
  std::vector<double> mean;          // rows * kpis; NaN where the simulator had no value
  std::vector<double> ci95;          // rows * kpis; NaN for one replication

  /// The number of points.
  size_t rows() const;
  /// Appends one row.
  void add(const double* xs, const double* means, const double* halves);
  /// The column of a factor or KPI by name, or -1.
  int factor_index(const std::string& path) const;
  int kpi_index(const std::string& name) const;
};

/// The dataset as CSV: a header row, then one row per point; NaN cells are empty.
std::string dataset_csv(const Dataset& d);

/// Parses CSV made by dataset_csv (columns ending in _mean and _ci95 are KPIs, the others
/// factors); `file` names it in messages. Malformed text is an Error with its line and column.
Result<Dataset> parse_dataset_csv(const std::string& text, const std::string& file);

/// Reads and parses a CSV file.
Result<Dataset> read_dataset_csv(const std::string& path);

/// A number in the shortest text that reads back exactly; empty for NaN.
std::string csv_number(double v);

}  // namespace linetwin::surrogates
