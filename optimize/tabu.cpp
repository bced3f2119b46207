#include "optimize/tabu.hpp"

#include <algorithm>
#include <chrono>

#include "optimize/disjunctive_graph.hpp"
#include "sim/random.hpp"

namespace linetwin::optimize {
namespace {

using detail::Graph;

struct Move {
  int u, v;
};

// The N5 moves of a critical path: in each block of two or more, swap its first two operations
// (not in the first block) and its last two (not in the last block).
void n5_moves(const Graph& g, const std::vector<int>& path, std::vector<Move>& moves) {
  moves.clear();
  std::vector<std::pair<size_t, size_t>> blocks;
  for (size_t i = 0; i < path.size();) {
    size_t j = i;
    while (j + 1 < path.size() && g.machine(path[j + 1]) == g.machine(path[i]) && g.machine_next(path[j]) == path[j + 1]) ++j;
    blocks.push_back({i, j});
    i = j + 1;
  }
  for (size_t b = 0; b < blocks.size(); ++b) {
    const auto [i, j] = blocks[b];
    if (j == i) continue;
    const bool first = b == 0, last = b + 1 == blocks.size();
    if (!first) moves.push_back({path[i], path[i + 1]});
    if (!last && (j - 1 != i || first)) moves.push_back({path[j - 1], path[j]});
  }
}

}  // namespace

TabuResult tabu_search(const JobShop& shop, std::vector<std::vector<int>> start, const TabuOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  Graph g(shop, start);
  TabuResult result;
  if (!g.evaluate()) return result;
  const int n = g.size();
  sim::Rng rng(opt.seed);
  std::vector<int64_t> tabu(static_cast<size_t>(n) * n, 0);
  const int jobs = static_cast<int>(shop.jobs.size());
  const int tenure_min = 2 + jobs / std::max(1, shop.machines) + std::min(10, n / 20);
  const int tenure_range = 2 + std::min(6, n / 40);
  const int64_t stall_limit = opt.stall_limit > 0 ? opt.stall_limit : std::max<int64_t>(2000, 30 * n);

  std::vector<std::vector<int>> best = g.sequences(shop.machines);
  int64_t best_c = g.makespan();
  int64_t last_improvement = 0;
  std::vector<int> path;
  std::vector<Move> moves, cyclic;
  int64_t iter = 0;
  for (; iter < opt.max_iterations && best_c > opt.target; ++iter) {
    if ((iter & 255) == 0) {
      if (opt.stop && opt.stop->load(std::memory_order_relaxed)) break;
      if (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > opt.time_limit_s) break;
    }
    g.critical_path(path);
    n5_moves(g, path, moves);
    if (moves.empty()) break;  // one block: the makespan is a machine's load, optimal
    // Moves found to make a cycle from this very solution are out, aspiration or not.
    if (!cyclic.empty()) {  // only after a refused swap: keep the usual iteration free of it
      std::erase_if(moves, [&](const Move& m) {
        return std::any_of(cyclic.begin(), cyclic.end(), [&](const Move& c) { return c.u == m.u && c.v == m.v; });
      });
      if (moves.empty()) break;
    }
    int chosen = -1;
    int64_t chosen_est = 0;
    for (size_t i = 0; i < moves.size(); ++i) {
      const auto [u, v] = moves[i];
      const int64_t est = g.estimate_swap(u, v);
      const bool is_tabu = tabu[static_cast<size_t>(v) * n + u] > iter;
      if (is_tabu && est >= best_c) continue;  // aspiration: a tabu move that beats the best is allowed
      if (chosen < 0 || est < chosen_est || (est == chosen_est && rng.uniform() < 0.5)) chosen = static_cast<int>(i), chosen_est = est;
    }
    if (chosen < 0) chosen = static_cast<int>(rng.uniform() * moves.size());
    const auto [u, v] = moves[chosen];
    if (!g.try_swap(u, v)) {  // it would make a cycle (zero durations): look again without it
      cyclic.push_back({u, v});
      continue;
    }
    cyclic.clear();
    tabu[static_cast<size_t>(u) * n + v] = iter + tenure_min + static_cast<int64_t>(rng.uniform() * tenure_range);
    if (g.makespan() < best_c) {
      best_c = g.makespan();
      best = g.sequences(shop.machines);
      last_improvement = iter;
    } else if (iter - last_improvement > stall_limit) {
      // Stalled: back to the best, shaken by a few random critical swaps, with a fresh memory.
      g.set_sequences(best);
      g.evaluate();
      const int kicks = 2 + static_cast<int>(rng.uniform() * 4);
      for (int k = 0; k < kicks; ++k) {
        g.critical_path(path);
        std::vector<Move> all;
        for (size_t i = 0; i + 1 < path.size(); ++i)
          if (g.machine_next(path[i]) == path[i + 1]) all.push_back({path[i], path[i + 1]});
        if (all.empty()) break;
        const Move m = all[static_cast<size_t>(rng.uniform() * all.size())];
        g.try_swap(m.u, m.v);
      }
      std::fill(tabu.begin(), tabu.end(), 0);
      last_improvement = iter;
      ++result.restarts;
    }
  }
  result.sequences = std::move(best);
  result.makespan = best_c;
  result.iterations = iter;
  return result;
}

}  // namespace linetwin::optimize
