// SurrogateModel: the network's inputs and outputs scaled, the points split for training,
// validation and the holdout, the scores, the model file. Training and gradients go through
// network.hpp (LibTorch, loaded on first use); predictions use the weights directly (mlp.hpp).
#include "surrogates/model.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "core/files.hpp"
#include "sim/experiment.hpp"
#include "sim/random.hpp"
#include "surrogates/model_file.hpp"
#include "surrogates/network.hpp"

namespace linetwin::surrogates {

ModelInfo model_info(const scenarios::Scenario& sc) {
  ModelInfo info;
  info.scenario = sc.line.name;
  info.source = sc.file;
  info.time_unit = sc.line.time_unit;
  info.factors = sc.factors;
  info.kpis = sim::kpi_names();
  info.objective = sc.objective;
  info.replications = sc.run.replications;
  info.seed = sc.run.seed;
  return info;
}

struct SurrogateModel::Impl {
  detail::ModelHeader header;
  detail::Mlp mlp;
  detail::NetShape shape() const {
    return {header.info.factors.size(), header.info.kpis.size(), header.hidden_layers, header.width};
  }
};

namespace {

// Raw factor values into the network's inputs: each range onto [-1, 1].
void scale_inputs(const std::vector<scenarios::Factor>& factors, const double* x, size_t n, float* out) {
  const size_t d = factors.size();
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < d; ++j) {
      const auto& f = factors[j];
      out[i * d + j] = static_cast<float>(2 * (x[i * d + j] - f.lo) / (f.hi - f.lo) - 1);
    }
}

double forward_transform(const OutputScaling& s, double y) {
  const double t = s.log ? std::log(y + s.shift) : y;
  return (t - s.mean) / s.sd;
}

double inverse_transform(const OutputScaling& s, double z) {
  const double t = z * s.sd + s.mean;
  return s.log ? std::exp(t) - s.shift : t;
}

// Log where it helps: a positive KPI spread over more than a factor of two (lead time, WIP).
OutputScaling choose_scaling(const std::vector<double>& y) {
  OutputScaling s;
  const auto [lo, hi] = std::minmax_element(y.begin(), y.end());
  s.log = !y.empty() && *lo > 0 && *hi / *lo > 2;
  double sum = 0, sq = 0;
  for (double v : y) sum += s.log ? std::log(v) : v;
  s.mean = y.empty() ? 0 : sum / static_cast<double>(y.size());
  for (double v : y) {
    const double t = (s.log ? std::log(v) : v) - s.mean;
    sq += t * t;
  }
  s.sd = y.size() > 1 ? std::sqrt(sq / static_cast<double>(y.size() - 1)) : 0;
  if (!(s.sd > 1e-12 * std::max(1.0, std::fabs(s.mean)))) s.sd = 1;  // a constant KPI
  return s;
}

}  // namespace

namespace {

// The training points: the factors' and KPIs' columns of the data in the model's order, only the
// rows with every KPI measured (an unstable point has none).
struct Points {
  size_t d = 0, nk = 0;     // factors and KPIs per point
  std::vector<double> xs, ys;  // row-major, d and nk per point
  size_t dropped = 0;       // rows left out for a missing KPI
  size_t size() const { return xs.size() / d; }
};

Result<Points> measured_points(const ModelInfo& info, const Dataset& data, const std::string& where) {
  Points p;
  p.d = info.factors.size();
  p.nk = info.kpis.size();
  std::vector<size_t> fcol(p.d), kcol(p.nk);
  for (size_t j = 0; j < p.d; ++j) {
    const int c = data.factor_index(info.factors[j].path);
    if (c < 0) return Error::at_key(where, info.factors[j].path, "the data has no column for this factor");
    fcol[j] = static_cast<size_t>(c);
  }
  for (size_t k = 0; k < p.nk; ++k) {
    const int c = data.kpi_index(info.kpis[k]);
    if (c < 0) return Error::at_key(where, info.kpis[k], "the data has no column " + info.kpis[k] + "_mean");
    kcol[k] = static_cast<size_t>(c);
  }
  const size_t dnf = data.factors.size(), dnk = data.kpis.size();
  for (size_t i = 0; i < data.rows(); ++i) {
    bool ok = true;
    for (size_t k = 0; k < p.nk; ++k) ok = ok && std::isfinite(data.mean[i * dnk + kcol[k]]);
    if (!ok) {
      ++p.dropped;
      continue;
    }
    for (size_t j = 0; j < p.d; ++j) p.xs.push_back(data.x[i * dnf + fcol[j]]);
    for (size_t k = 0; k < p.nk; ++k) p.ys.push_back(data.mean[i * dnk + kcol[k]]);
  }
  return p;
}

// The points' indices in three parts: the holdout for the report, validation for early stopping,
// the rest (fit) for the weights; a shuffle from the training seed decides which is which.
struct Split {
  std::vector<size_t> hold, val, fit;
};

Result<Split> split_points(size_t n, const TrainOptions& options, const std::string& where) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  sim::Rng rng(options.seed ^ 0x7a11ed5eedULL);
  for (size_t i = n; i > 1; --i)
    std::swap(order[i - 1], order[std::min(i - 1, static_cast<size_t>(rng.uniform() * static_cast<double>(i)))]);
  const size_t n_hold = static_cast<size_t>(std::lround(options.holdout * static_cast<double>(n)));
  const size_t n_val = std::max<size_t>(1, static_cast<size_t>(std::lround(options.validation * static_cast<double>(n - n_hold))));
  if (n_hold + n_val + 2 > n) return Error::in(where, "too few points to hold some out; simulate more");
  const auto at = [&](size_t i) { return order.begin() + static_cast<long>(i); };
  return Split{{order.begin(), at(n_hold)}, {at(n_hold), at(n_hold + n_val)}, {at(n_hold + n_val), order.end()}};
}

// Each KPI's scaling from the points that train, never the holdout.
std::vector<OutputScaling> output_scalings(const Points& p, const Split& split) {
  std::vector<OutputScaling> out;
  for (size_t k = 0; k < p.nk; ++k) {
    std::vector<double> y;
    for (const auto* part : {&split.fit, &split.val})
      for (size_t i : *part) y.push_back(p.ys[i * p.nk + k]);
    out.push_back(choose_scaling(y));
  }
  return out;
}

// The factors of the given rows, one after the other.
std::vector<double> rows_x(const Points& p, const std::vector<size_t>& rows) {
  std::vector<double> rx;
  for (size_t i : rows)
    rx.insert(rx.end(), p.xs.begin() + static_cast<long>(i * p.d), p.xs.begin() + static_cast<long>((i + 1) * p.d));
  return rx;
}

// The given rows as the network sees them: inputs onto [-1, 1], outputs transformed and standardized.
void scaled_rows(const Points& p, const detail::ModelHeader& h, const std::vector<size_t>& rows, std::vector<float>& fx,
                 std::vector<float>& fy) {
  const std::vector<double> rx = rows_x(p, rows);
  fx.resize(rows.size() * p.d);
  fy.resize(rows.size() * p.nk);
  scale_inputs(h.info.factors, rx.data(), rows.size(), fx.data());
  for (size_t r = 0; r < rows.size(); ++r)
    for (size_t k = 0; k < p.nk; ++k)
      fy[r * p.nk + k] = static_cast<float>(forward_transform(h.outputs[k], p.ys[rows[r] * p.nk + k]));
}

// Each KPI's R² and MAPE on the points held out, in the KPIs' own units.
std::vector<KpiScore> holdout_scores_of(const SurrogateModel& model, const Points& p, const std::vector<size_t>& hold) {
  const std::vector<double> pred = model.predict(rows_x(p, hold));
  std::vector<KpiScore> scores;
  for (size_t k = 0; k < p.nk; ++k) {
    std::vector<double> truth, guess;
    for (size_t r = 0; r < hold.size(); ++r) {
      truth.push_back(p.ys[hold[r] * p.nk + k]);
      guess.push_back(pred[r * p.nk + k]);
    }
    scores.push_back(score_values(model.info().kpis[k], truth, guess));
  }
  return scores;
}

}  // namespace

SurrogateModel::SurrogateModel() : impl_(std::make_unique<Impl>()) {}
SurrogateModel::~SurrogateModel() = default;
SurrogateModel::SurrogateModel(SurrogateModel&&) noexcept = default;
SurrogateModel& SurrogateModel::operator=(SurrogateModel&&) noexcept = default;
SurrogateModel::SurrogateModel(const SurrogateModel& other) : impl_(std::make_unique<Impl>()) { *this = other; }
SurrogateModel& SurrogateModel::operator=(const SurrogateModel& other) {
  if (this == &other) return *this;
  impl_->header = other.impl_->header;
  impl_->mlp = other.impl_->mlp;
  return *this;
}

const ModelInfo& SurrogateModel::info() const { return impl_->header.info; }
const std::vector<OutputScaling>& SurrogateModel::scaling() const { return impl_->header.outputs; }
const std::vector<KpiScore>& SurrogateModel::holdout_scores() const { return impl_->header.holdout; }

Result<SurrogateModel> SurrogateModel::train(const ModelInfo& info, const Dataset& data,
                                             const TrainOptions& options, TrainReport* report) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string where = info.source.empty() ? "training data" : info.source;
  if (info.factors.empty()) return Error::at_key(where, "factors", "the model needs at least one factor");
  if (info.kpis.empty()) return Error::in(where, "the model needs at least one KPI");
  auto points = measured_points(info, data, where);
  if (!points) return points.error();
  const Points& p = *points;
  constexpr size_t kMinPoints = 10;
  if (p.size() < kMinPoints)
    return Error::in(where, "training needs at least " + std::to_string(kMinPoints) +
                                      " simulated points with KPIs, and there are " + std::to_string(p.size()));
  auto split = split_points(p.size(), options, where);
  if (!split) return split.error();
  const auto& [hold, val, fit] = *split;

  SurrogateModel model;
  detail::ModelHeader& h = model.impl_->header;
  h.info = info;
  h.info.samples = data.rows();
  h.hidden_layers = options.hidden_layers;
  h.width = options.width;
  h.outputs = output_scalings(p, *split);
  std::vector<float> x_fit, y_fit, x_val, y_val;
  scaled_rows(p, h, fit, x_fit, y_fit);
  scaled_rows(p, h, val, x_val, y_val);
  detail::NetTrained trained = detail::backend().train(
      model.impl_->shape(), {x_fit.data(), y_fit.data(), fit.size(), x_val.data(), y_val.data(), val.size()}, options);
  model.impl_->mlp = std::move(trained.mlp);
  h.holdout = holdout_scores_of(model, p, hold);
  if (report) {
    report->train = fit.size();
    report->validation = val.size();
    report->holdout = hold.size();
    report->dropped = p.dropped;
    report->epochs = trained.epochs;
    report->best_epoch = trained.best_epoch;
    report->holdout_scores = h.holdout;
    report->train_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  return model;
}

void SurrogateModel::predict(const double* x, size_t n, double* out) const {
  const auto& h = impl_->header;
  const size_t d = h.info.factors.size(), nk = h.info.kpis.size();
  constexpr size_t kChunk = size_t{1} << 16;
  std::vector<float> in, z;
  for (size_t s = 0; s < n; s += kChunk) {
    const size_t m = std::min(kChunk, n - s);
    in.resize(m * d);
    z.resize(m * nk);
    scale_inputs(h.info.factors, x + s * d, m, in.data());
    impl_->mlp.forward(in.data(), m, z.data());
    for (size_t i = 0; i < m; ++i)
      for (size_t k = 0; k < nk; ++k) out[(s + i) * nk + k] = inverse_transform(h.outputs[k], z[i * nk + k]);
  }
}

std::vector<double> SurrogateModel::predict(const std::vector<double>& x) const {
  const size_t d = info().factors.size();
  std::vector<double> out(x.size() / d * info().kpis.size());
  predict(x.data(), x.size() / d, out.data());
  return out;
}

void SurrogateModel::kpi_gradient(const double* x, size_t n, size_t k, double* value, double* grad) const {
  const auto& h = impl_->header;
  const size_t d = h.info.factors.size();
  std::vector<float> in(n * d), z(n), g(n * d);
  scale_inputs(h.info.factors, x, n, in.data());
  detail::backend().gradient(impl_->mlp, in.data(), n, k, z.data(), g.data());
  const OutputScaling& s = h.outputs[k];
  for (size_t i = 0; i < n; ++i) {
    value[i] = inverse_transform(s, z[i]);
    // Chain rule: d value / d z, then d z / d input, then d input / d raw value.
    const double dy_dz = s.log ? s.sd * (value[i] + s.shift) : s.sd;
    for (size_t j = 0; j < d; ++j) {
      const auto& f = h.info.factors[j];
      grad[i * d + j] = dy_dz * g[i * d + j] * 2 / (f.hi - f.lo);
    }
  }
}

std::optional<Error> SurrogateModel::check_point(const double* x, bool extrapolate, const std::string& where) const {
  auto num = [](double v) {
    std::ostringstream o;
    o << v;
    return o.str();
  };
  const auto& factors = info().factors;
  for (size_t j = 0; j < factors.size(); ++j) {
    const auto& f = factors[j];
    if (!std::isfinite(x[j])) return Error::at_key(where, f.path, "expected a finite number");
    if (extrapolate) continue;
    if (x[j] < f.lo || x[j] > f.hi)
      return Error::at_key(where, f.path, num(x[j]) + " is outside the range the model was trained on, [" + num(f.lo) + ", " + num(f.hi) +
                       "]; its prediction there is a guess (add --extrapolate to predict anyway)");
    if (f.integer && x[j] != std::round(x[j]))
      return Error::at_key(where, f.path, "expected a whole number (the factor is an integer), got " + num(x[j]) + " (add --extrapolate to predict anyway)");
  }
  return std::nullopt;
}

std::string SurrogateModel::to_bytes() const { return detail::model_file_bytes(impl_->header, impl_->mlp.bytes()); }

Result<SurrogateModel> SurrogateModel::from_bytes(const std::string& bytes, const std::string& file) {
  std::string weights;
  auto header = detail::parse_model_file(bytes, file, weights);
  if (!header) return header.error();
  SurrogateModel model;
  model.impl_->header = std::move(*header);
  if (model.impl_->header.outputs.size() != model.impl_->header.info.kpis.size())
    return Error::in(file, "not a valid linetwin model: the KPIs and their scalers differ in number");
  auto mlp = detail::mlp_from_bytes(model.impl_->shape(), weights, file);
  if (!mlp) return mlp.error();
  model.impl_->mlp = std::move(*mlp);
  return model;
}

Result<SurrogateModel> SurrogateModel::load(const std::string& path) {
  // The largest network the format admits (16 hidden layers of 1024) has about 64 MiB of float32
  // weights; `surrogate train` writes 3 layers of 64, some 50 KiB.
  constexpr size_t kMaxModelBytes = size_t{128} << 20;
  std::error_code ec;
  const auto type = std::filesystem::status(path, ec).type();
  if (type == std::filesystem::file_type::directory) return Error::in(path, "cannot read the model file: it is a directory");
  // The magic first, so that /dev/zero or a foreign file is refused after a few bytes. A pipe can
  // be read only once: there the whole file is read (up to the limit) before the same check.
  if (type != std::filesystem::file_type::fifo && type != std::filesystem::file_type::socket) {
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error::in(path, "cannot read the model file: " + std::string(std::strerror(errno)));
    std::string head(detail::kModelHeadBytes, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
    if (auto ok = detail::check_model_start(head, path); !ok) return ok.error();
  }
  auto bytes = read_file_limited(path, kMaxModelBytes, "model file");
  if (!bytes) return bytes.error();
  return from_bytes(*bytes, path);
}

}  // namespace linetwin::surrogates
