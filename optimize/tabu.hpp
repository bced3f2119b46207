// Tabu search for the job shop on the critical path: the N7 neighbourhood of Zhang et al. (move
// an operation of a critical block to the block's start or end, or its first or last operation
// inside it) or the N5 of Nowicki and Smutnicki (swap the first two or last two operations of a
// block), with an estimate of each move's makespan (Taillard's, extended to moves within a
// block), a tabu list of reversed orders, aspiration by the best makespan, and restarts from the
// best schedule, perturbed, when the search stalls.
#pragma once
#include <atomic>
#include <cstdint>
#include <vector>

#include "optimize/jobshop.hpp"

namespace linetwin::optimize {

/// The moves the search looks at.
enum class Neighbourhood : uint8_t { kN5, kN7 };

struct TabuOptions {
  uint64_t seed = 1;
  Neighbourhood neighbourhood = Neighbourhood::kN7;
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
