// Construction of job-shop schedules by dispatch rules (Giffler and Thompson's active schedules).
// A starting point for the local searches, and a fast answer on its own.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "optimize/jobshop.hpp"

namespace linetwin::optimize {

enum class Rule { kSpt, kLpt, kMwkr, kLwkr, kMopnr, kFifo, kRandom };

/// The rules by name ("spt", "lpt", "mwkr", "lwkr", "mopnr", "fifo", "random").
const std::vector<std::pair<std::string, Rule>>& rule_names();

/// An active schedule built by `rule`, as machine sequences of operation numbers (OpIndex).
/// `seed` breaks ties (and drives kRandom).
std::vector<std::vector<int>> dispatch(const JobShop& shop, Rule rule, uint64_t seed = 1);

}  // namespace linetwin::optimize
