#include "sim/random.hpp"

#include <cassert>
#include <cmath>
#include <numbers>
#include <utility>

namespace linetwin::sim {
namespace {

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

double standard_normal(Rng& rng) {
  // Box-Muller, one value per pair of uniforms: no hidden state, so streams stay independent.
  const double u1 = rng.uniform(), u2 = rng.uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace

ExpZiggurat::ExpZiggurat() {
  // Layer boundaries x_0 > x_1 = R > ... > x_256 = 0, every layer of the same area v; layer 0 is
  // the base strip [0, R] x [0, f(R)] with the tail beyond R, of width x_0 = v / f(R).
  constexpr double kArea = 3.949659822581572e-3;  // v = (R + 1) exp(-R)
  double x[257];
  x[0] = kArea / std::exp(-kR);
  x[1] = kR;
  for (int i = 1; i < 255; ++i) x[i + 1] = -std::log(std::exp(-x[i]) + kArea / x[i]);
  x[256] = 0;
  for (int i = 0; i <= 256; ++i) f[i] = std::exp(-x[i]);
  for (int i = 0; i < 256; ++i) {
    layer[i].w = x[i] * 0x1.0p-53;
    layer[i].k = static_cast<uint64_t>(x[i + 1] / x[i] * 0x1.0p53);
  }
}

const ExpZiggurat kExpZiggurat;

Rng::Rng(uint64_t seed) {
  for (auto& s : s_) s = splitmix64(seed);
}

uint64_t stream_seed(uint64_t seed, uint32_t replication, StreamKind kind, std::string_view name,
                     uint32_t index) {
  uint64_t x = seed;
  uint64_t h = splitmix64(x);
  x = h ^ (static_cast<uint64_t>(replication) << 32 | index);
  h = splitmix64(x);
  x = h ^ static_cast<uint64_t>(kind);
  h = splitmix64(x);
  x = h ^ fnv1a(name);
  return splitmix64(x);
}

double sample_general(const Dist& d, Rng& rng) {
  switch (d.kind) {
    case DistKind::kConstant:
      return d.value;
    case DistKind::kExponential:
      return -d.exponential.mean * std::log(rng.uniform());
    case DistKind::kNormal: {
      // Truncated at 0 by rejection; after 64 rejections (mean far below 0) give 0.
      for (int i = 0; i < 64; ++i) {
        const double x = d.normal.mean + d.normal.sd * standard_normal(rng);
        if (x >= 0) return x;
      }
      return 0.0;
    }
    case DistKind::kLognormal: {
      const auto [mean, sd] = d.lognormal;
      if (sd == 0) return mean;
      const double s2 = std::log1p((sd * sd) / (mean * mean));
      const double mu = std::log(mean) - 0.5 * s2;
      return std::exp(mu + std::sqrt(s2) * standard_normal(rng));
    }
    case DistKind::kUniform:
      return d.uniform.min + (d.uniform.max - d.uniform.min) * rng.uniform();
    case DistKind::kTriangular: {
      const auto [lo, mode, hi] = d.triangular;
      if (hi <= lo) return lo;
      const double u = rng.uniform();
      const double f = (mode - lo) / (hi - lo);
      return u < f ? lo + std::sqrt(u * (hi - lo) * (mode - lo))
                   : hi - std::sqrt((1 - u) * (hi - lo) * (hi - mode));
    }
    case DistKind::kErlang: {
      double p = 1.0, sum = 0.0;
      for (uint32_t i = 0; i < d.erlang.k; ++i) {
        p *= rng.uniform();
        if (p < 1e-280) {  // keep the product away from underflow for large k
          sum += -std::log(p);
          p = 1.0;
        }
      }
      return (sum - std::log(p)) * d.erlang.mean / d.erlang.k;
    }
    case DistKind::kWeibull:
      return d.weibull.scale * std::pow(-std::log(rng.uniform()), 1.0 / d.weibull.shape);
    case DistKind::kEmpirical: {
      assert(!d.values.empty());
      const auto i = static_cast<size_t>(rng.uniform() * static_cast<double>(d.values.size()));
      return d.values[i < d.values.size() ? i : d.values.size() - 1];
    }
  }
  return 0.0;
}

double Dist::mean() const {
  switch (kind) {
    case DistKind::kConstant: return value;
    case DistKind::kExponential: return exponential.mean;
    case DistKind::kNormal: {
      const auto [mu, sd] = normal;
      if (sd == 0) return mu;
      const double alpha = -mu / sd;
      const double phi = std::exp(-0.5 * alpha * alpha) / std::sqrt(2 * std::numbers::pi);
      const double big_phi = 0.5 * std::erfc(alpha / std::numbers::sqrt2);
      return mu + sd * phi / big_phi;
    }
    case DistKind::kLognormal: return lognormal.mean;
    case DistKind::kUniform: return 0.5 * (uniform.min + uniform.max);
    case DistKind::kTriangular: return (triangular.min + triangular.mode + triangular.max) / 3.0;
    case DistKind::kErlang: return erlang.mean;
    case DistKind::kWeibull: return weibull.scale * std::tgamma(1.0 + 1.0 / weibull.shape);
    case DistKind::kEmpirical: {
      double s = 0;
      for (double v : values) s += v;
      return values.empty() ? 0.0 : s / static_cast<double>(values.size());
    }
  }
  return 0.0;
}

double Dist::variance() const {
  switch (kind) {
    case DistKind::kConstant: return 0;
    case DistKind::kExponential: return exponential.mean * exponential.mean;
    case DistKind::kNormal: return normal.sd * normal.sd;
    case DistKind::kLognormal: return lognormal.sd * lognormal.sd;
    case DistKind::kUniform: return (uniform.max - uniform.min) * (uniform.max - uniform.min) / 12.0;
    case DistKind::kTriangular: {
      const auto [a, b, c] = triangular;  // min, mode, max
      return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
    }
    case DistKind::kErlang: return erlang.mean * erlang.mean / erlang.k;
    case DistKind::kWeibull: {
      const double g1 = std::tgamma(1.0 + 1.0 / weibull.shape);
      const double g2 = std::tgamma(1.0 + 2.0 / weibull.shape);
      return weibull.scale * weibull.scale * (g2 - g1 * g1);
    }
    case DistKind::kEmpirical: {
      const double m = mean();
      double s = 0;
      for (double v : values) s += (v - m) * (v - m);
      return values.empty() ? 0.0 : s / static_cast<double>(values.size());
    }
  }
  return 0.0;
}

bool Dist::operator==(const Dist& o) const {
  if (kind != o.kind) return false;
  switch (kind) {
    case DistKind::kConstant: return value == o.value;
    case DistKind::kExponential: return exponential.mean == o.exponential.mean;
    case DistKind::kNormal: return normal.mean == o.normal.mean && normal.sd == o.normal.sd;
    case DistKind::kLognormal: return lognormal.mean == o.lognormal.mean && lognormal.sd == o.lognormal.sd;
    case DistKind::kUniform: return uniform.min == o.uniform.min && uniform.max == o.uniform.max;
    case DistKind::kTriangular:
      return triangular.min == o.triangular.min && triangular.mode == o.triangular.mode &&
             triangular.max == o.triangular.max;
    case DistKind::kErlang: return erlang.mean == o.erlang.mean && erlang.k == o.erlang.k;
    case DistKind::kWeibull: return weibull.shape == o.weibull.shape && weibull.scale == o.weibull.scale;
    case DistKind::kEmpirical: return values == o.values;
  }
  return false;
}

namespace {
Dist of_kind(DistKind kind) {
  Dist d;
  d.kind = kind;
  return d;
}
}  // namespace

Dist constant(double value) {
  Dist d = of_kind(DistKind::kConstant);
  d.value = value;
  return d;
}

Dist exponential(double mean) {
  Dist d = of_kind(DistKind::kExponential);
  d.exponential = {mean};
  return d;
}

Dist normal(double mean, double sd) {
  Dist d = of_kind(DistKind::kNormal);
  d.normal = {mean, sd};
  return d;
}

Dist lognormal(double mean, double sd) {
  Dist d = of_kind(DistKind::kLognormal);
  d.lognormal = {mean, sd};
  return d;
}

Dist uniform(double min, double max) {
  Dist d = of_kind(DistKind::kUniform);
  d.uniform = {min, max};
  return d;
}

Dist triangular(double min, double mode, double max) {
  Dist d = of_kind(DistKind::kTriangular);
  d.triangular = {min, mode, max};
  return d;
}

Dist erlang(double mean, uint32_t k) {
  Dist d = of_kind(DistKind::kErlang);
  d.erlang = {mean, k};
  return d;
}

Dist weibull(double shape, double scale) {
  Dist d = of_kind(DistKind::kWeibull);
  d.weibull = {shape, scale};
  return d;
}

Dist empirical(std::vector<double> values) {
  Dist d = of_kind(DistKind::kEmpirical);
  d.values = std::move(values);
  return d;
}

}  // namespace linetwin::sim
