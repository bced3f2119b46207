// Designs of experiments over a scenario's factors: Latin hypercube, full grid and plain random
// points, integer factors taking whole values. Deterministic for a seed on every platform (sim's
// xoshiro stream, no std:: distributions). Not a simulator: points only.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"

namespace linetwin::surrogates {

enum class DesignKind { kLhs, kGrid, kRandom };

/// "lhs", "grid" or "random" into a DesignKind; nullopt for anything else.
std::optional<DesignKind> design_kind(const std::string& name);

/// The name of a design kind, as accepted by design_kind().
std::string design_name(DesignKind kind);

/// Points of a design, row-major: points * factors values.
struct Design {
  size_t factors = 0;
  std::vector<double> x;
  size_t points() const { return factors ? x.size() / factors : 0; }
  const double* row(size_t i) const { return x.data() + i * factors; }
};

/// Up to `samples` points of `kind` over `factors` (exactly `samples` for lhs and random; a grid
/// takes as many levels per factor as fit, all values of an integer factor with few of them).
Design make_design(const std::vector<scenarios::Factor>& factors, DesignKind kind, size_t samples,
                   uint64_t seed);

/// The levels per factor of the largest grid with at most `samples` points.
std::vector<size_t> grid_levels(const std::vector<scenarios::Factor>& factors, size_t samples);

/// The number of distinct values of a factor: hi - lo + 1 for an integer one, else 0 (a continuum).
uint64_t value_count(const scenarios::Factor& f);

/// `v` clamped into the factor's range, rounded when the factor is an integer.
double snap(const scenarios::Factor& f, double v);

}  // namespace linetwin::surrogates
