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

// One run of the search: the graph being improved, the tabu list, the best solution so far.
class TabuSearch {
 public:
  TabuSearch(const JobShop& shop, const std::vector<std::vector<int>>& start, const TabuOptions& opt)
      : shop_(shop), opt_(opt), g_(shop, start), rng_(opt.seed) {}

  TabuResult run() {
    const auto t0 = std::chrono::steady_clock::now();
    TabuResult result;
    if (!g_.evaluate()) return result;
    start_memory();
    int64_t iter = 0;
    for (; iter < opt_.max_iterations && best_c_ > opt_.target; ++iter) {
      if ((iter & 255) == 0 && out_of_time(t0)) break;
      if (!step(iter, result)) break;
    }
    result.sequences = std::move(best_);
    result.makespan = best_c_;
    result.iterations = iter;
    return result;
  }

 private:
  // The tenure grows with the jobs per machine and the size: long enough to leave a valley,
  // short enough not to forbid every move.
  void start_memory() {
    n_ = g_.size();
    tabu_.assign(static_cast<size_t>(n_) * n_, 0);
    const int jobs = static_cast<int>(shop_.jobs.size());
    tenure_min_ = 2 + jobs / std::max(1, shop_.machines) + std::min(10, n_ / 20);
    tenure_range_ = 2 + std::min(6, n_ / 40);
    stall_limit_ = opt_.stall_limit > 0 ? opt_.stall_limit : std::max<int64_t>(2000, 30 * n_);
    best_ = g_.sequences(shop_.machines);
    best_c_ = g_.makespan();
  }

  bool out_of_time(std::chrono::steady_clock::time_point t0) const {
    if (opt_.stop && opt_.stop->load(std::memory_order_relaxed)) return true;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > opt_.time_limit_s;
  }

  // One move from the current solution; false when no move is left (the search is over).
  bool step(int64_t iter, TabuResult& result) {
    g_.critical_path(path_);
    if (opt_.neighbourhood == Neighbourhood::kN5) n5_moves(g_, path_, moves_);
    else n7_moves(g_, path_, moves_);
    if (moves_.empty()) return false;  // one block: the makespan is a machine's load, optimal
    // Moves found to make a cycle from this very solution are out, aspiration or not.
    if (!cyclic_.empty()) {  // only after a refused swap: keep the usual iteration free of it
      std::erase_if(moves_, [&](const Move& m) {
        return std::any_of(cyclic_.begin(), cyclic_.end(),
                           [&](const Move& c) { return c.u == m.u && c.v == m.v && c.forward == m.forward; });
      });
      if (moves_.empty()) return false;
    }
    const Move mv = moves_[static_cast<size_t>(choose(iter))];
    note_reversed(mv);
    if (!g_.try_insert(mv.u, mv.v, mv.forward)) {  // it would make a cycle (zero durations): look again without it
      cyclic_.push_back(mv);
      return true;
    }
    cyclic_.clear();
    const int64_t until = iter + tenure_min_ + static_cast<int64_t>(rng_.uniform() * tenure_range_);
    for (const auto& [x, y] : reversed_) tabu_[static_cast<size_t>(x) * n_ + y] = until;
    if (g_.makespan() < best_c_) {
      best_c_ = g_.makespan();
      best_ = g_.sequences(shop_.machines);
      last_improvement_ = iter;
    } else if (iter - last_improvement_ > stall_limit_) {
      restart();
      last_improvement_ = iter;
      ++result.restarts;
    }
    return true;
  }

  // Whether the move would restore an order of two operations that a recent move reversed.
  bool is_tabu(const Move& m, int64_t iter) const {
    bool tabu = false;
    if (m.forward) {  // every operation from u's successor to v comes before u
      for (int w = g_.machine_next(m.u);; w = g_.machine_next(w)) {
        tabu |= tabu_[static_cast<size_t>(w) * n_ + m.u] > iter;
        if (w == m.v) break;
      }
    } else {          // v comes before every operation from u to v's predecessor
      for (int w = m.u; w != m.v; w = g_.machine_next(w)) tabu |= tabu_[static_cast<size_t>(m.v) * n_ + w] > iter;
    }
    return tabu;
  }

  // The move with the best estimated makespan that is not tabu (ties broken at random), or a
  // tabu one that beats the best (aspiration); a random one if every move is tabu.
  int choose(int64_t iter) {
    int chosen = -1;
    int64_t chosen_est = 0;
    for (size_t i = 0; i < moves_.size(); ++i) {
      const Move& m = moves_[i];
      const int64_t est = g_.estimate_insert(m.u, m.v, m.forward);
      if (est >= best_c_ && is_tabu(m, iter)) continue;
      if (chosen < 0 || est < chosen_est || (est == chosen_est && rng_.uniform() < 0.5)) chosen = static_cast<int>(i), chosen_est = est;
    }
    if (chosen < 0) chosen = static_cast<int>(rng_.uniform() * moves_.size());
    return chosen;
  }

  // The orders the move reverses, for the tabu list: (x, y) means "x before y" is undone.
  void note_reversed(const Move& mv) {
    reversed_.clear();
    if (mv.forward) {
      for (int w = g_.machine_next(mv.u);; w = g_.machine_next(w)) {
        reversed_.push_back({mv.u, w});
        if (w == mv.v) break;
      }
    } else {
      for (int w = mv.u; w != mv.v; w = g_.machine_next(w)) reversed_.push_back({w, mv.v});
    }
  }

  // Stalled: back to the best, shaken by a few random critical swaps, with a fresh memory.
  void restart() {
    g_.set_sequences(best_);
    g_.evaluate();
    const int kicks = 2 + static_cast<int>(rng_.uniform() * 4);
    for (int k = 0; k < kicks; ++k) {
      g_.critical_path(path_);
      std::vector<Move> all;
      for (size_t i = 0; i + 1 < path_.size(); ++i)
        if (g_.machine_next(path_[i]) == path_[i + 1]) all.push_back({path_[i], path_[i + 1], true});
      if (all.empty()) break;
      const Move m = all[static_cast<size_t>(rng_.uniform() * all.size())];
      g_.try_swap(m.u, m.v);
    }
    std::fill(tabu_.begin(), tabu_.end(), 0);
  }

  const JobShop& shop_;
  const TabuOptions& opt_;
  Graph g_;
  sim::Rng rng_;
  int n_ = 0;                    // operations
  std::vector<int64_t> tabu_;    // n x n: (x, y) may not be put back before this iteration
  int tenure_min_ = 0, tenure_range_ = 0;
  int64_t stall_limit_ = 0;      // iterations without improvement before a restart
  std::vector<std::vector<int>> best_;
  int64_t best_c_ = 0;
  int64_t last_improvement_ = 0;
  std::vector<int> path_;
  std::vector<Move> moves_, cyclic_;
  std::vector<std::pair<int, int>> reversed_;
};

}  // namespace

TabuResult tabu_search(const JobShop& shop, std::vector<std::vector<int>> start, const TabuOptions& opt) {
  return TabuSearch(shop, start, opt).run();
}

}  // namespace linetwin::optimize
