// Neural surrogates of a line: a multilayer perceptron from factor values to the line's KPIs,
// trained on simulated points, saved with everything needed to predict without the scenario.
// Torch-free: training and gradients load LibTorch (a plugin, opened on first use); predictions
// run on one core without it. Not a simulator: it never runs one.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"
#include "core/result.hpp"
#include "surrogates/dataset.hpp"

namespace linetwin::surrogates {

/// What a model knows of the scenario it was trained on, besides its weights.
struct ModelInfo {
  std::string scenario;                      // the scenario's name
  std::string source;                        // the file it was read from (for people)
  TimeUnit time_unit = TimeUnit::kMinute;   // the unit of the factors' times
  std::vector<scenarios::Factor> factors;    // paths, ranges, integer flags, the scenario's values
  std::vector<std::string> kpis;             // outputs, in order
  std::optional<scenarios::Objective> objective;
  uint64_t samples = 0;                      // simulated points behind the model
  uint32_t replications = 0;                 // per point
  uint64_t seed = 0;
};

/// What a model trained on `scenario` records of it (samples left 0 for the trainer to fill).
ModelInfo model_info(const scenarios::Scenario& scenario);

/// How a KPI is transformed before the network sees it: t = log(y + shift) or t = y, then
/// standardised, (t - mean) / sd.
struct OutputScaling {
  bool log = false;
  double shift = 0;
  double mean = 0, sd = 1;
};

/// How well a model predicts one KPI on a set of points (NaN where undefined).
struct KpiScore {
  std::string kpi;
  double r2 = 0;    // 1 - residual / total sum of squares
  double mape = 0;  // mean |error| / |value|, in percent, over points with a non-zero value
  size_t n = 0;
};

/// Training settings; the defaults are what `linetwin surrogate train` uses.
struct TrainOptions {
  double holdout = 0.2;      // share of points kept out of training, for the reported scores
  double validation = 0.15;  // share of the rest, for early stopping
  int hidden_layers = 3;
  int width = 64;
  int max_epochs = 4000;
  int patience = 400;        // epochs without a better validation loss before stopping
  double learning_rate = 1e-2;
  int batch = 0;             // points per step; 0: all training points at once (full batch)
  uint64_t seed = 1;
};

/// What training did and how well the model does on the held-out points.
struct TrainReport {
  size_t train = 0, validation = 0, holdout = 0, dropped = 0;  // dropped: points without KPIs
  int epochs = 0, best_epoch = 0;
  double train_s = 0;
  std::vector<KpiScore> holdout_scores;
};

/// A trained network with its scalers; copies share nothing.
class SurrogateModel {
 public:
  SurrogateModel();
  ~SurrogateModel();
  SurrogateModel(SurrogateModel&&) noexcept;
  SurrogateModel& operator=(SurrogateModel&&) noexcept;
  SurrogateModel(const SurrogateModel& other);
  SurrogateModel& operator=(const SurrogateModel& other);

  /// Trains on `data` (columns matched to info.factors and info.kpis by name); points held out
  /// give the report's scores. Deterministic for options.seed; trains on one thread. Throws
  /// std::runtime_error when the LibTorch plugin is missing.
  static Result<SurrogateModel> train(const ModelInfo& info, const Dataset& data,
                                      const TrainOptions& options, TrainReport* report = nullptr);

  /// Reads a model file; a missing, corrupt or foreign file is an Error saying so.
  static Result<SurrogateModel> load(const std::string& path);
  /// The same from the file's bytes; `file` names it in messages.
  static Result<SurrogateModel> from_bytes(const std::string& bytes, const std::string& file);
  /// The model file's bytes: a text header, then the network's weights.
  std::string to_bytes() const;

  const ModelInfo& info() const;
  const std::vector<OutputScaling>& scaling() const;
  /// The holdout scores measured when it was trained.
  const std::vector<KpiScore>& holdout_scores() const;

  /// KPIs at n points: x holds n rows of raw factor values; out receives n rows of KPIs.
  void predict(const double* x, size_t n, double* out) const;
  /// The same for a vector of rows.
  std::vector<double> predict(const std::vector<double>& x) const;
  /// KPI k and its gradient with respect to the raw factor values, at n points (autograd;
  /// throws std::runtime_error when the LibTorch plugin is missing).
  void kpi_gradient(const double* x, size_t n, size_t k, double* value, double* grad) const;

  /// Refuses a point outside the trained ranges (unless `extrapolate`) or with a fractional
  /// value for an integer factor; `where` names the input in the message.
  std::optional<Error> check_point(const double* x, bool extrapolate, const std::string& where) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// R^2 and MAPE per KPI of `model` on `data`, matching columns by name; points without a value
/// for a KPI are skipped. A dataset lacking a factor of the model is an Error.
Result<std::vector<KpiScore>> score(const SurrogateModel& model, const Dataset& data,
                                    const std::string& file);

/// R^2 and MAPE of predictions against values (NaN values skipped).
KpiScore score_values(const std::string& kpi, const std::vector<double>& truth,
                      const std::vector<double>& predicted);

}  // namespace linetwin::surrogates
