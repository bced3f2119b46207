// Solving a job shop with a chosen method on several threads: each thread searches from its own
// start with its own seed; the best schedule wins. The same seed and thread count give the same
// schedule when the search is bounded by iterations (a time limit cuts it where the clock says).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "optimize/jobshop.hpp"

namespace linetwin::optimize {

struct SolveOptions {
  std::string method = "tabu";  // tabu | anneal | genetic | ants | dispatch | a rule name (spt, ...)
  double time_limit_s = 10;
  int64_t iterations = 0;       // per thread; 0: bounded by the time limit only
  uint64_t seed = 1;
  uint32_t threads = 0;         // 0: all cores
};

struct SolveResult {
  Schedule schedule;
  std::vector<std::vector<int>> sequences;
  int64_t lower_bound = 0;
  int64_t iterations = 0;       // all threads together
  double time_s = 0;
  uint32_t threads = 1;
};

/// The methods `solve` knows, for messages.
std::vector<std::string> method_names();

/// Solves `shop` with `options.method`; an unknown method is an Error.
Result<SolveResult> solve(const JobShop& shop, const SolveOptions& options);

/// The operations on a critical path of `s` (true per operation, numbered as in OpIndex).
std::vector<bool> critical_operations(const JobShop& shop, const Schedule& s);

}  // namespace linetwin::optimize
