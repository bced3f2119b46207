// Scores of a surrogate: R^2 and MAPE per KPI, on the points held out at training or on any
// dataset. Torch-free: it calls the model through its header.
#include <cmath>
#include <limits>

#include "surrogates/model.hpp"

namespace linetwin::surrogates {

KpiScore score_values(const std::string& kpi, const std::vector<double>& truth, const std::vector<double>& predicted) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  KpiScore s;
  s.kpi = kpi;
  double sum = 0, ape = 0;
  size_t n = 0, n_ape = 0;
  for (size_t i = 0; i < truth.size(); ++i)
    if (std::isfinite(truth[i])) sum += truth[i], ++n;
  s.n = n;
  if (n == 0) {
    s.r2 = s.mape = kNaN;
    return s;
  }
  const double mean = sum / static_cast<double>(n);
  double ss_res = 0, ss_tot = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    if (!std::isfinite(truth[i])) continue;
    const double e = predicted[i] - truth[i];
    ss_res += e * e;
    ss_tot += (truth[i] - mean) * (truth[i] - mean);
    if (truth[i] != 0) ape += std::fabs(e / truth[i]), ++n_ape;
  }
  // A KPI that does not vary (no losses anywhere) has no R^2.
  s.r2 = ss_tot > 1e-300 * static_cast<double>(n) ? 1 - ss_res / ss_tot : kNaN;
  s.mape = n_ape ? 100 * ape / static_cast<double>(n_ape) : kNaN;
  return s;
}

Result<std::vector<KpiScore>> score(const SurrogateModel& model, const Dataset& data, const std::string& file) {
  const ModelInfo& info = model.info();
  const size_t d = info.factors.size(), nk = info.kpis.size(), rows = data.rows();
  std::vector<size_t> fcol(d);
  for (size_t j = 0; j < d; ++j) {
    const int c = data.factor_index(info.factors[j].path);
    if (c < 0)
      return Error::at(file, 1, 0, info.factors[j].path, "the data has no column for this factor of the model");
    fcol[j] = static_cast<size_t>(c);
  }
  std::vector<double> x(rows * d);
  for (size_t i = 0; i < rows; ++i)
    for (size_t j = 0; j < d; ++j) x[i * d + j] = data.x[i * data.factors.size() + fcol[j]];
  const std::vector<double> pred = model.predict(x);
  std::vector<KpiScore> out;
  for (size_t k = 0; k < nk; ++k) {
    const int c = data.kpi_index(info.kpis[k]);
    if (c < 0) continue;
    std::vector<double> truth(rows), guess(rows);
    for (size_t i = 0; i < rows; ++i) {
      truth[i] = data.mean[i * data.kpis.size() + static_cast<size_t>(c)];
      guess[i] = pred[i * nk + k];
    }
    out.push_back(score_values(info.kpis[k], truth, guess));
  }
  if (out.empty())
    return Error::at(file, 1, 0, "", "the data has none of the model's KPIs (" + info.kpis.front() + "_mean, ...)");
  return out;
}

}  // namespace linetwin::surrogates
