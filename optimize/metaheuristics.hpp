// Further job-shop searches beside the tabu search: simulated annealing on the critical path, a
// genetic algorithm on operation-based permutations, and ant colony optimization. Each takes the
// same stop rules.
#pragma once
#include <atomic>
#include <cstdint>
#include <vector>

#include "optimize/jobshop.hpp"

namespace linetwin::optimize {

struct SearchLimits {
  uint64_t seed = 1;
  int64_t max_iterations = INT64_MAX;       // moves (annealing) or children (genetic algorithm)
  double time_limit_s = 10;
  int64_t target = 0;                       // stop once the makespan reaches this
  const std::atomic<bool>* stop = nullptr;  // set by another search that reached the target
};

struct SearchResult {
  std::vector<std::vector<int>> sequences;  // per machine, operation numbers (OpIndex)
  int64_t makespan = 0;
  int64_t iterations = 0;
};

/// Simulated annealing: a random swap of two adjacent operations of a critical block (such a swap
/// never makes a cycle), accepted by the Metropolis rule under a temperature that falls
/// geometrically from 5% of the start's makespan to 0.5 over the time or iteration budget.
SearchResult simulated_annealing(const JobShop& shop, std::vector<std::vector<int>> start, const SearchLimits& limits);

/// A genetic algorithm: permutations with repetition of job numbers (the k-th copy of job j is its
/// k-th operation), decoded into active schedules by placing each operation in the earliest gap
/// of its machine; tournament selection, precedence-preserving order crossover (POX), swap
/// mutation, the two best kept from one generation to the next.
SearchResult genetic_algorithm(const JobShop& shop, const SearchLimits& limits);

/// Ant colony optimization (a max-min ant system): each ant builds an active schedule (Giffler and
/// Thompson), choosing among the conflicting operations by pheromone on "b follows a on its
/// machine" and by the work its job has left; the best ant of each colony lays pheromone, bounded
/// between a floor and a ceiling so that the search never freezes.
SearchResult ant_colony(const JobShop& shop, const SearchLimits& limits);

}  // namespace linetwin::optimize
