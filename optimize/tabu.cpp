#include "optimize/tabu.hpp"

#include <algorithm>
#include <chrono>

#include "optimize/disjunctive_graph.hpp"
#include "sim/random.hpp"

namespace linetwin::optimize {
namespace {

using detail::Graph;

// Moving u right after v (forward) or v right before u (backward); u precedes v in a block. An
// adjacent swap is a forward move of u after its successor v.
struct Move {
  int u, v;
  bool forward;
};

// The critical blocks of a path: maximal runs of operations on one machine, one after another.
void blocks_of(const Graph& g, const std::vector<int>& path, std::vector<std::pair<size_t, size_t>>& blocks) {
  blocks.clear();
  for (size_t i = 0; i < path.size();) {
    size_t j = i;
    while (j + 1 < path.size() && g.machine(path[j + 1]) == g.machine(path[i]) && g.machine_next(path[j]) == path[j + 1]) ++j;
    blocks.push_back({i, j});
    i = j + 1;
  }
}

// The N5 moves of a critical path: in each block of two or more, swap its first two operations
// (not in the first block) and its last two (not in the last block).
void n5_moves(const Graph& g, const std::vector<int>& path, std::vector<Move>& moves) {
  moves.clear();
  std::vector<std::pair<size_t, size_t>> blocks;
  blocks_of(g, path, blocks);
  for (size_t b = 0; b < blocks.size(); ++b) {
    const auto [i, j] = blocks[b];
    if (j == i) continue;
    const bool first = b == 0, last = b + 1 == blocks.size();
    if (!first) moves.push_back({path[i], path[i + 1], true});
    if (!last && (j - 1 != i || first)) moves.push_back({path[j - 1], path[j], true});
  }
}

// Whether a move surely leaves the graph acyclic (Balas and Vazacopoulos): u may go after v if
// v's tail is at least that of u's job successor; v may go before u if u ends no earlier than
// v's job predecessor. Always true for adjacent swaps when every operation takes time.
bool surely_acyclic(const Graph& g, const Move& m) {
  if (m.forward) {
    const int s = g.job_next(m.u);
    return s < 0 || g.tail_start(m.v) >= g.tail_start(s);
  }
  const int p = g.job_prev(m.v);
  return p < 0 || g.head_end(m.u) >= g.head_end(p);
}

// The N7 moves of Zhang et al. (2007): in each block, move its first operation after each later
// one of the block, or any later one before the first (not in the first block); and move its
// last operation before each earlier one, or any earlier one after the last (not in the last
// block). This contains N5. Moves that could make a cycle are left out.
void n7_moves(const Graph& g, const std::vector<int>& path, std::vector<Move>& moves) {
  moves.clear();
  std::vector<std::pair<size_t, size_t>> blocks;
  blocks_of(g, path, blocks);
  auto add = [&](const Move& m) {
    if (!surely_acyclic(g, m)) return;
    for (const Move& x : moves)  // an adjacent swap can be reached two ways: list it once
      if (x.u == m.u && x.v == m.v && (x.forward == m.forward || g.machine_next(m.u) == m.v)) return;
    moves.push_back(m);
  };
  for (size_t b = 0; b < blocks.size(); ++b) {
    const auto [i, j] = blocks[b];
    if (j == i) continue;
    const bool first = b == 0, last = b + 1 == blocks.size();
    for (size_t m = i + 1; m <= j; ++m) {
      if (!first) {
        add({path[i], path[m], true});   // the first one later
        add({path[i], path[m], false});  // a later one first
      }
    }
    for (size_t m = i; m < j; ++m) {
      if (!last) {
        add({path[m], path[j], true});   // an earlier one last
        add({path[m], path[j], false});  // the last one earlier
      }
    }
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
  std::vector<std::pair<int, int>> reversed;
  int64_t iter = 0;
  for (; iter < opt.max_iterations && best_c > opt.target; ++iter) {
    if ((iter & 255) == 0) {
      if (opt.stop && opt.stop->load(std::memory_order_relaxed)) break;
      if (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > opt.time_limit_s) break;
    }
    g.critical_path(path);
    if (opt.neighbourhood == Neighbourhood::kN5) n5_moves(g, path, moves);
    else n7_moves(g, path, moves);
    if (moves.empty()) break;  // one block: the makespan is a machine's load, optimal
    // Moves found to make a cycle from this very solution are out, aspiration or not.
    if (!cyclic.empty()) {  // only after a refused swap: keep the usual iteration free of it
      std::erase_if(moves, [&](const Move& m) {
        return std::any_of(cyclic.begin(), cyclic.end(),
                           [&](const Move& c) { return c.u == m.u && c.v == m.v && c.forward == m.forward; });
      });
      if (moves.empty()) break;
    }
    int chosen = -1;
    int64_t chosen_est = 0;
    for (size_t i = 0; i < moves.size(); ++i) {
      const Move& m = moves[i];
      const int64_t est = g.estimate_insert(m.u, m.v, m.forward);
      // Tabu: the move would restore an order of two operations that a recent move reversed.
      bool is_tabu = false;
      if (m.forward) {  // every operation from u's successor to v comes before u
        for (int w = g.machine_next(m.u);; w = g.machine_next(w)) {
          is_tabu |= tabu[static_cast<size_t>(w) * n + m.u] > iter;
          if (w == m.v) break;
        }
      } else {          // v comes before every operation from u to v's predecessor
        for (int w = m.u; w != m.v; w = g.machine_next(w)) is_tabu |= tabu[static_cast<size_t>(m.v) * n + w] > iter;
      }
      if (is_tabu && est >= best_c) continue;  // aspiration: a tabu move that beats the best is allowed
      if (chosen < 0 || est < chosen_est || (est == chosen_est && rng.uniform() < 0.5)) chosen = static_cast<int>(i), chosen_est = est;
    }
    if (chosen < 0) chosen = static_cast<int>(rng.uniform() * moves.size());
    const Move mv = moves[chosen];
    // The orders the move reverses, for the tabu list: (x, y) means "x before y" is undone.
    reversed.clear();
    if (mv.forward) {
      for (int w = g.machine_next(mv.u);; w = g.machine_next(w)) {
        reversed.push_back({mv.u, w});
        if (w == mv.v) break;
      }
    } else {
      for (int w = mv.u; w != mv.v; w = g.machine_next(w)) reversed.push_back({w, mv.v});
    }
    if (!g.try_insert(mv.u, mv.v, mv.forward)) {  // it would make a cycle (zero durations): look again without it
      cyclic.push_back(mv);
      continue;
    }
    cyclic.clear();
    const int64_t until = iter + tenure_min + static_cast<int64_t>(rng.uniform() * tenure_range);
    for (const auto& [x, y] : reversed) tabu[static_cast<size_t>(x) * n + y] = until;
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
          if (g.machine_next(path[i]) == path[i + 1]) all.push_back({path[i], path[i + 1], true});
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
