// Tabu search for the job shop on the critical path: the N5 neighbourhood of Nowicki and
// Smutnicki (swap the first two or the last two operations of a critical block) with Taillard's
// estimate of a move's makespan, a tabu list of reversed arcs, aspiration by the best makespan,
// and restarts from the best schedule, perturbed, when the search stalls.
#pragma once
#include <atomic>
#include <cstdint>
#include <vector>

#include "optimize/jobshop.hpp"

namespace linetwin::optimize {

struct TabuOptions {
  uint64_t seed = 1;
  int64_t max_iterations = 2'000'000;  // a stop that does not depend on the machine's speed
  double time_limit_s = 10;            // and one that does
  int64_t stall_limit = 0;             // iterations without improvement before a restart; 0: automatic
  int64_t target = 0;                  // stop once the makespan reaches this (e.g. a proven lower bound)
  const std::atomic<bool>* stop = nullptr;  // set by another search that reached the target
};

struct TabuResult {
  std::vector<std::vector<int>> sequences;  // per machine, operation numbers (OpIndex)
  int64_t makespan = 0;
  int64_t iterations = 0;
  int64_t restarts = 0;
};

/// Improves the machine sequences `start` (e.g. from dispatch()) by tabu search.
TabuResult tabu_search(const JobShop& shop, std::vector<std::vector<int>> start, const TabuOptions& options);

}  // namespace linetwin::optimize
