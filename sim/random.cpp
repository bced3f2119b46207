#include "sim/random.hpp"

#include <cassert>
#include <cmath>
#include <numbers>

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
      return d.a;
    case DistKind::kExponential:
      return -d.a * std::log(rng.uniform());
    case DistKind::kNormal: {
      // Truncated at 0 by rejection; after 64 rejections (mean far below 0) give 0.
      for (int i = 0; i < 64; ++i) {
        const double x = d.a + d.b * standard_normal(rng);
        if (x >= 0) return x;
      }
      return 0.0;
    }
    case DistKind::kLognormal: {
      if (d.b == 0) return d.a;
      const double s2 = std::log1p((d.b * d.b) / (d.a * d.a));
      const double mu = std::log(d.a) - 0.5 * s2;
      return std::exp(mu + std::sqrt(s2) * standard_normal(rng));
    }
    case DistKind::kUniform:
      return d.a + (d.b - d.a) * rng.uniform();
    case DistKind::kTriangular: {
      const double lo = d.a, mode = d.b, hi = d.c;
      if (hi <= lo) return lo;
      const double u = rng.uniform();
      const double f = (mode - lo) / (hi - lo);
      return u < f ? lo + std::sqrt(u * (hi - lo) * (mode - lo))
                   : hi - std::sqrt((1 - u) * (hi - lo) * (hi - mode));
    }
    case DistKind::kErlang: {
      double p = 1.0, sum = 0.0;
      for (uint32_t i = 0; i < d.k; ++i) {
        p *= rng.uniform();
        if (p < 1e-280) {  // keep the product away from underflow for large k
          sum += -std::log(p);
          p = 1.0;
        }
      }
      return (sum - std::log(p)) * d.a / d.k;
    }
    case DistKind::kWeibull:
      return d.b * std::pow(-std::log(rng.uniform()), 1.0 / d.a);
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
    case DistKind::kConstant: return a;
    case DistKind::kExponential: return a;
    case DistKind::kNormal: {
      if (b == 0) return a;
      const double alpha = -a / b;
      const double phi = std::exp(-0.5 * alpha * alpha) / std::sqrt(2 * std::numbers::pi);
      const double big_phi = 0.5 * std::erfc(alpha / std::numbers::sqrt2);
      return a + b * phi / big_phi;
    }
    case DistKind::kLognormal: return a;
    case DistKind::kUniform: return 0.5 * (a + b);
    case DistKind::kTriangular: return (a + b + c) / 3.0;
    case DistKind::kErlang: return a;
    case DistKind::kWeibull: return b * std::tgamma(1.0 + 1.0 / a);
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
    case DistKind::kExponential: return a * a;
    case DistKind::kNormal: return b * b;
    case DistKind::kLognormal: return b * b;
    case DistKind::kUniform: return (b - a) * (b - a) / 12.0;
    case DistKind::kTriangular: return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
    case DistKind::kErlang: return a * a / k;
    case DistKind::kWeibull: {
      const double g1 = std::tgamma(1.0 + 1.0 / a), g2 = std::tgamma(1.0 + 2.0 / a);
      return b * b * (g2 - g1 * g1);
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

Dist constant(double value) {
  Dist d;
  d.a = value;
  return d;
}

Dist exponential(double mean) { return make_dist(DistKind::kExponential, mean); }

Dist make_dist(DistKind kind, double a, double b, double c, uint32_t k) {
  Dist d;
  d.kind = kind;
  d.a = a;
  d.b = b;
  d.c = c;
  d.k = k;
  return d;
}

}  // namespace linetwin::sim
