// Maximum likelihood by family: closed forms where they exist (exponential, normal, lognormal,
// uniform), a bisection on the shape's score equation for the Weibull, a scan over whole shapes
// for the Erlang, a grid for the triangular's three points. Standard errors from the inverse
// Fisher information, carried to the scenario's parameters by the delta method.
#include "twin/calibrate/fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <numeric>
#include <optional>

namespace linetwin::calibrate {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kNegInf = -std::numeric_limits<double>::infinity();
// Beyond this many phases an Erlang is a normal in all but cost (the simulator draws k uniforms
// for one value), so the normal is left to describe such narrow times.
constexpr uint32_t kMaxErlangK = 50;

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

// Regularized lower incomplete gamma P(a, x) (Numerical Recipes 6.2).
double gamma_p(double a, double x) {
  if (x <= 0) return 0;
  const double gln = std::lgamma(a);
  if (x < a + 1) {
    double ap = a, sum = 1 / a, del = sum;
    for (int n = 0; n < 1000; ++n) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (std::fabs(del) < std::fabs(sum) * 1e-15) break;
    }
    return sum * std::exp(-x + a * std::log(x) - gln);
  }
  double b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d;
  for (int i = 1; i < 1000; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (std::fabs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < 1e-15) break;
  }
  return 1 - std::exp(-x + a * std::log(x) - gln) * h;
}

double log_likelihood(const sim::Dist& d, const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += log_pdf(d, v);
  return s;
}

double ks_distance(const sim::Dist& d, const std::vector<double>& sorted) {
  const double n = double(sorted.size());
  double worst = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const double f = cdf(d, sorted[i]);
    worst = std::max({worst, double(i + 1) / n - f, f - double(i) / n});
  }
  return worst;
}

DistFit finish(std::string family, sim::Dist d, std::vector<FitParam> params, int free_params,
               const std::vector<double>& x) {
  DistFit f;
  f.family = std::move(family);
  f.dist = std::move(d);
  f.params = std::move(params);
  f.free_params = free_params;
  f.log_likelihood = log_likelihood(f.dist, x);
  f.aic = 2.0 * free_params - 2.0 * f.log_likelihood;
  f.ks = ks_distance(f.dist, x);
  return f;
}

// The Weibull shape k solves sum x^k ln x / sum x^k - 1/k - mean(ln x) = 0 (increasing in k).
double weibull_shape(const std::vector<double>& y, double mean_log) {
  auto score = [&](double k) {
    double a = 0, b = 0;
    for (double v : y) {
      const double p = std::pow(v, k);
      a += p * std::log(v);
      b += p;
    }
    return a / b - 1 / k - mean_log;
  };
  double lo = 0.02, hi = 50;
  if (score(lo) > 0) return lo;
  if (score(hi) < 0) return hi;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (score(mid) < 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// What every family's fit starts from: the sorted sample and its plain summaries.
struct Sample {
  const std::vector<double>& x;  // sorted
  double nd, lo, hi, range, mean;
};

DistFit fit_exponential(const Sample& s) {
  return finish("exponential", sim::exponential(s.mean), {{"mean", s.mean, s.mean / std::sqrt(s.nd)}}, 1, s.x);
}

DistFit fit_normal(const Sample& s) {
  double ss = 0;
  for (double v : s.x) ss += (v - s.mean) * (v - s.mean);
  const double sd_mle = std::sqrt(ss / s.nd);
  return finish("normal", sim::normal(s.mean, sd_mle),
                {{"mean", s.mean, sd_mle / std::sqrt(s.nd)}, {"sd", sd_mle, sd_mle / std::sqrt(2 * s.nd)}}, 2, s.x);
}

DistFit fit_uniform(const Sample& s) {
  const double u = s.range / (s.nd - 1);  // the unbiased ends of a uniform
  return finish("uniform", sim::uniform(std::max(0.0, s.lo - u), s.hi + u),
                {{"min", std::max(0.0, s.lo - u), s.range / s.nd}, {"max", s.hi + u, s.range / s.nd}}, 2, s.x);
}

// The mean of ln x, which the lognormal, Weibull and Erlang fits share (positive samples only).
double mean_log(const Sample& s) {
  double ml = 0;
  for (double v : s.x) ml += std::log(v);
  return ml / s.nd;
}

DistFit fit_lognormal(const Sample& s, double ml) {
  const double nd = s.nd;
  double sl = 0;
  for (double v : s.x) sl += (std::log(v) - ml) * (std::log(v) - ml);
  const double sg = std::sqrt(sl / nd), s2 = sg * sg;
  const double m = std::exp(ml + 0.5 * s2), sd = m * std::sqrt(std::expm1(s2));
  // Var(mu) = s^2/n, Var(s) = s^2/(2n), independent; the delta method to the mean and sd.
  const double var_mu = s2 / nd, var_s = s2 / (2 * nd);
  const double dsd_ds = sd * sg + m * sg * std::exp(s2) / std::sqrt(std::expm1(s2));
  return finish("lognormal", sim::lognormal(m, sd),
                {{"mean", m, std::sqrt(m * m * var_mu + m * m * s2 * var_s)},
                 {"sd", sd, std::sqrt(sd * sd * var_mu + dsd_ds * dsd_ds * var_s)}},
                2, s.x);
}

// On values scaled by their mean, so that x^k stays in range.
DistFit fit_weibull(const Sample& s, double ml) {
  const double nd = s.nd, mean = s.mean;
  std::vector<double> y(s.x);
  for (double& v : y) v /= mean;
  const double k = weibull_shape(y, ml - std::log(mean));
  double pk = 0;
  for (double v : y) pk += std::pow(v, k);
  const double scale = mean * std::pow(pk / nd, 1 / k);
  // Asymptotic variances of the Weibull MLE: 0.608 k^2/n and 1.109 scale^2/(k^2 n).
  return finish("weibull", sim::weibull(k, scale),
                {{"shape", k, std::sqrt(0.6079 * k * k / nd)}, {"scale", scale, std::sqrt(1.1087 / nd) * scale / k}},
                2, s.x);
}

// The mean is the sample mean whatever k; the profile likelihood in k is unimodal.
// log L(k) = n (k log(k/m) - log Gamma(k)) + (k-1) sum log x - (k/m) sum x.
DistFit fit_erlang(const Sample& s, double ml) {
  const double nd = s.nd, mean = s.mean;
  uint32_t kk = 1;
  double best_ll = kNegInf;
  for (uint32_t k = 1; k <= kMaxErlangK; ++k) {
    const double kd = k;
    const double ll = nd * (kd * std::log(kd / mean) - std::lgamma(kd)) + (kd - 1) * ml * nd - kd * nd;
    if (ll <= best_ll) break;
    best_ll = ll;
    kk = k;
  }
  return finish("erlang", sim::erlang(mean, kk), {{"mean", mean, mean / std::sqrt(nd * kk)}, {"k", double(kk), kNaN}},
                2, s.x);
}

// Ends a little beyond the sample's (its density vanishes there), mode on a grid, searched on at
// most 2000 of the sorted values. Nothing when no point of the grid gives a finite likelihood.
std::optional<DistFit> fit_triangular(const Sample& s) {
  const std::vector<double>& x = s.x;
  const size_t n = x.size();
  std::vector<double> sub;
  for (size_t i = 0; i < n; i += std::max<size_t>(1, n / 2000)) sub.push_back(x[i]);
  DistFit best;
  best.log_likelihood = kNegInf;
  for (double da : {0.25, 0.5, 1.0, 2.0})
    for (double db : {0.25, 0.5, 1.0, 2.0}) {
      const double a = std::max(0.0, s.lo - da * s.range / std::sqrt(s.nd)), b = s.hi + db * s.range / std::sqrt(s.nd);
      for (int q = 0; q <= 100; ++q) {
        const double mode = x[std::min(n - 1, size_t(q / 100.0 * double(n - 1)))];
        const sim::Dist d = sim::triangular(a, std::clamp(mode, a, b), b);
        const double ll = log_likelihood(d, sub);
        if (ll > best.log_likelihood) {
          best.dist = d;
          best.log_likelihood = ll;
        }
      }
    }
  if (!std::isfinite(best.log_likelihood)) return std::nullopt;
  return finish("triangular", best.dist,
                {{"min", best.dist.triangular.min, kNaN},
                 {"mode", best.dist.triangular.mode, kNaN},
                 {"max", best.dist.triangular.max, kNaN}}, 3, x);
}

}  // namespace

double log_pdf(const sim::Dist& d, double x) {
  using sim::DistKind;
  if (!(x >= 0)) return kNegInf;
  switch (d.kind) {
    case DistKind::kConstant: return x == d.value ? 0.0 : kNegInf;
    case DistKind::kExponential: return -std::log(d.exponential.mean) - x / d.exponential.mean;
    case DistKind::kNormal: {
      const auto [mean, sd] = d.normal;
      const double z = (x - mean) / sd;
      return -0.5 * z * z - std::log(sd) - 0.5 * std::log(2 * std::numbers::pi) - std::log(normal_cdf(mean / sd));
    }
    case DistKind::kLognormal: {
      if (x <= 0) return kNegInf;
      const auto [mean, sd] = d.lognormal;
      const double s2 = std::log1p(sd * sd / (mean * mean)), mu = std::log(mean) - 0.5 * s2;
      const double l = std::log(x) - mu;
      return -std::log(x) - 0.5 * std::log(2 * std::numbers::pi * s2) - l * l / (2 * s2);
    }
    case DistKind::kUniform: {
      const auto [lo, hi] = d.uniform;
      return x >= lo && x <= hi && hi > lo ? -std::log(hi - lo) : kNegInf;
    }
    case DistKind::kTriangular: {
      const auto [lo, mode, hi] = d.triangular;
      if (x < lo || x > hi || hi <= lo) return kNegInf;
      const double v = x < mode ? 2 * (x - lo) / ((hi - lo) * (mode - lo)) : x > mode ? 2 * (hi - x) / ((hi - lo) * (hi - mode))
                                                                                      : 2 / (hi - lo);
      return v > 0 ? std::log(v) : kNegInf;
    }
    case DistKind::kErlang: {
      const auto [mean, k] = d.erlang;
      if (x <= 0 && k > 1) return kNegInf;
      const double rate = k / mean;
      return k * std::log(rate) + (k - 1.0) * std::log(x) - rate * x - std::lgamma(double(k));
    }
    case DistKind::kWeibull: {
      const auto [shape, scale] = d.weibull;
      if (x <= 0) return shape == 1 ? -std::log(scale) : kNegInf;
      const double z = x / scale;
      return std::log(shape / scale) + (shape - 1) * std::log(z) - std::pow(z, shape);
    }
    case DistKind::kEmpirical: return kNegInf;
  }
  return kNegInf;
}

double cdf(const sim::Dist& d, double x) {
  using sim::DistKind;
  if (x < 0) return 0;
  switch (d.kind) {
    case DistKind::kConstant: return x >= d.value ? 1.0 : 0.0;
    case DistKind::kExponential: return -std::expm1(-x / d.exponential.mean);
    case DistKind::kNormal: {
      const auto [mean, sd] = d.normal;
      const double below = normal_cdf(-mean / sd);
      return (normal_cdf((x - mean) / sd) - below) / (1 - below);
    }
    case DistKind::kLognormal: {
      if (x <= 0) return 0;
      const auto [mean, sd] = d.lognormal;
      const double s2 = std::log1p(sd * sd / (mean * mean)), mu = std::log(mean) - 0.5 * s2;
      return normal_cdf((std::log(x) - mu) / std::sqrt(s2));
    }
    case DistKind::kUniform: return std::clamp((x - d.uniform.min) / (d.uniform.max - d.uniform.min), 0.0, 1.0);
    case DistKind::kTriangular: {
      const auto [lo, mode, hi] = d.triangular;
      if (x <= lo) return 0;
      if (x >= hi) return 1;
      return x <= mode ? (x - lo) * (x - lo) / ((hi - lo) * (mode - lo)) : 1 - (hi - x) * (hi - x) / ((hi - lo) * (hi - mode));
    }
    case DistKind::kErlang: return gamma_p(double(d.erlang.k), x * d.erlang.k / d.erlang.mean);
    case DistKind::kWeibull: return -std::expm1(-std::pow(x / d.weibull.scale, d.weibull.shape));
    case DistKind::kEmpirical: {
      if (d.values.empty()) return 1;
      double c = 0;
      for (double v : d.values) c += v <= x;
      return c / double(d.values.size());
    }
  }
  return 0;
}

std::vector<DistFit> fit_all(std::vector<double> x) {
  std::vector<DistFit> fits;
  const size_t n = x.size();
  if (n < 2) return fits;
  std::sort(x.begin(), x.end());
  const double nd = double(n), lo = x.front(), hi = x.back(), range = hi - lo;
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / nd;
  if (range <= 1e-12 * std::max(1.0, std::fabs(hi))) {
    DistFit f;
    f.family = "constant";
    f.dist = sim::constant(mean);
    f.params = {{"value", mean, 0.0}};
    return {f};
  }
  const Sample s{x, nd, lo, hi, range, mean};
  fits.push_back(fit_exponential(s));
  fits.push_back(fit_normal(s));
  fits.push_back(fit_uniform(s));
  if (lo > 0) {  // the families with a logarithm in their likelihood
    const double ml = mean_log(s);
    fits.push_back(fit_lognormal(s, ml));
    fits.push_back(fit_weibull(s, ml));
    fits.push_back(fit_erlang(s, ml));
  }
  if (auto f = fit_triangular(s)) fits.push_back(std::move(*f));
  std::erase_if(fits, [](const DistFit& f) { return !std::isfinite(f.aic); });
  std::stable_sort(fits.begin(), fits.end(), [](const DistFit& a, const DistFit& b) { return a.aic < b.aic; });
  return fits;
}

std::string dist_yaml(const sim::Dist& d) {
  auto num = [](double v) { return fmt::format("{:.6g}", v); };
  using sim::DistKind;
  switch (d.kind) {
    case DistKind::kConstant: return "{dist: constant, value: " + num(d.value) + "}";
    case DistKind::kExponential: return "{dist: exponential, mean: " + num(d.exponential.mean) + "}";
    case DistKind::kNormal: return "{dist: normal, mean: " + num(d.normal.mean) + ", sd: " + num(d.normal.sd) + "}";
    case DistKind::kLognormal:
      return "{dist: lognormal, mean: " + num(d.lognormal.mean) + ", sd: " + num(d.lognormal.sd) + "}";
    case DistKind::kUniform: return "{dist: uniform, min: " + num(d.uniform.min) + ", max: " + num(d.uniform.max) + "}";
    case DistKind::kTriangular:
      return "{dist: triangular, min: " + num(d.triangular.min) + ", mode: " + num(d.triangular.mode) +
             ", max: " + num(d.triangular.max) + "}";
    case DistKind::kErlang:
      return "{dist: erlang, mean: " + num(d.erlang.mean) + ", k: " + std::to_string(d.erlang.k) + "}";
    case DistKind::kWeibull:
      return "{dist: weibull, shape: " + num(d.weibull.shape) + ", scale: " + num(d.weibull.scale) + "}";
    case DistKind::kEmpirical: {
      std::string s = "{dist: empirical, values: [";
      for (size_t i = 0; i < d.values.size(); ++i) s += (i ? ", " : "") + num(d.values[i]);
      return s + "]}";
    }
  }
  return "{}";
}

double ks_p_value(double d, size_t n) {
  const double sn = std::sqrt(double(n));
  const double lambda = (sn + 0.12 + 0.11 / sn) * d;  // Stephens' correction
  if (lambda < 0.2) return 1.0;
  double p = 0;
  for (int j = 1; j <= 100; ++j) p += 2 * ((j % 2) ? 1 : -1) * std::exp(-2.0 * j * j * lambda * lambda);
  return std::clamp(p, 0.0, 1.0);
}

}  // namespace linetwin::calibrate
