#include "surrogates/design.hpp"

#include <algorithm>
#include <cmath>

#include "sim/random.hpp"

namespace linetwin::surrogates {
namespace {

// A uniform whole number in [0, n), n well below 2^53.
uint64_t below(sim::Rng& rng, uint64_t n) {
  return std::min<uint64_t>(n - 1, static_cast<uint64_t>(rng.uniform() * static_cast<double>(n)));
}

// u in [0, 1) into the factor: an integer factor's values get equal shares of [0, 1).
double from_unit(const scenarios::Factor& f, double u) {
  if (f.integer) {
    const double count = f.hi - f.lo + 1;
    return std::min(f.hi, f.lo + std::floor(u * count));
  }
  return f.lo + u * (f.hi - f.lo);
}

}  // namespace

std::optional<DesignKind> design_kind(const std::string& name) {
  if (name == "lhs") return DesignKind::kLhs;
  if (name == "grid") return DesignKind::kGrid;
  if (name == "random") return DesignKind::kRandom;
  return std::nullopt;
}

std::string design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::kLhs: return "lhs";
    case DesignKind::kGrid: return "grid";
    case DesignKind::kRandom: return "random";
  }
  return "lhs";
}

uint64_t value_count(const scenarios::Factor& f) {
  if (!f.integer) return 0;
  const double n = f.hi - f.lo + 1;
  return n >= 1e18 ? UINT64_MAX : static_cast<uint64_t>(n);
}

double snap(const scenarios::Factor& f, double v) {
  if (std::isnan(v)) v = f.base;
  v = std::clamp(v, f.lo, f.hi);
  return f.integer ? std::round(v) : v;
}

std::vector<size_t> grid_levels(const std::vector<scenarios::Factor>& factors, size_t samples) {
  // The largest k such that min(k, values of factor i) multiplied over the factors fits.
  auto product = [&](size_t k) {
    long double p = 1;
    for (const auto& f : factors) {
      const uint64_t c = value_count(f);
      p *= static_cast<long double>(c ? std::min<uint64_t>(k, c) : k);
    }
    return p;
  };
  size_t k = 1;
  while (k < samples && product(k + 1) <= static_cast<long double>(samples)) {
    bool grows = false;  // stop once every factor has all its values
    for (const auto& f : factors) grows = grows || !f.integer || value_count(f) > k;
    if (!grows) break;
    ++k;
  }
  std::vector<size_t> levels;
  for (const auto& f : factors) {
    const uint64_t c = value_count(f);
    levels.push_back(c ? static_cast<size_t>(std::min<uint64_t>(k, c)) : k);
  }
  // Spend what is left of the budget on one more level for factors in turn.
  for (bool more = true; more;) {
    more = false;
    for (size_t i = 0; i < factors.size(); ++i) {
      const uint64_t c = value_count(factors[i]);
      if (c && levels[i] >= c) continue;
      long double p = 1;
      for (size_t j = 0; j < factors.size(); ++j) p *= static_cast<long double>(levels[j] + (i == j));
      if (p <= static_cast<long double>(samples)) {
        ++levels[i];
        more = true;
      }
    }
  }
  return levels;
}

Design make_design(const std::vector<scenarios::Factor>& factors, DesignKind kind, size_t samples,
                   uint64_t seed) {
  Design d;
  d.factors = factors.size();
  if (factors.empty() || samples == 0) return d;
  sim::Rng rng(seed ^ 0x5eedde5167ULL);
  const size_t nf = factors.size();
  if (kind == DesignKind::kRandom) {
    d.x.resize(samples * nf);
    for (size_t i = 0; i < samples; ++i)
      for (size_t j = 0; j < nf; ++j) d.x[i * nf + j] = from_unit(factors[j], rng.uniform());
  } else if (kind == DesignKind::kLhs) {
    // One random permutation of the strata per factor, a uniform point within each stratum.
    d.x.resize(samples * nf);
    std::vector<size_t> perm(samples);
    for (size_t j = 0; j < nf; ++j) {
      for (size_t i = 0; i < samples; ++i) perm[i] = i;
      for (size_t i = samples; i > 1; --i) std::swap(perm[i - 1], perm[below(rng, i)]);
      for (size_t i = 0; i < samples; ++i) {
        const double u = (static_cast<double>(perm[i]) + rng.uniform()) / static_cast<double>(samples);
        d.x[i * nf + j] = from_unit(factors[j], u);
      }
    }
  } else {
    const std::vector<size_t> levels = grid_levels(factors, samples);
    size_t total = 1;
    for (size_t l : levels) total *= l;
    d.x.resize(total * nf);
    std::vector<size_t> idx(nf, 0);
    for (size_t i = 0; i < total; ++i) {
      for (size_t j = 0; j < nf; ++j) {
        const auto& f = factors[j];
        double v;
        if (levels[j] == 1) {
          v = snap(f, f.base);
        } else if (f.integer && levels[j] == value_count(f)) {
          v = f.lo + static_cast<double>(idx[j]);
        } else {
          v = f.lo + (f.hi - f.lo) * static_cast<double>(idx[j]) / static_cast<double>(levels[j] - 1);
          if (f.integer) v = std::round(v);
        }
        d.x[i * nf + j] = v;
      }
      for (size_t j = nf; j-- > 0;) {  // the last factor varies fastest
        if (++idx[j] < levels[j]) break;
        idx[j] = 0;
      }
    }
  }
  return d;
}

}  // namespace linetwin::surrogates
