#include "optimize/tabu.hpp"

#include <algorithm>
#include <chrono>

#include "sim/random.hpp"

namespace linetwin::optimize {
namespace {

// The disjunctive graph of one solution: job arcs fixed, machine arcs from the sequences;
// heads r (earliest start) and tails q (longest path after the operation's end).
class Graph {
 public:
  Graph(const JobShop& shop, const std::vector<std::vector<int>>& seq) : ix_(shop) {
    n_ = ix_.size();
    p_ = ix_.duration;
    jp_.assign(n_, -1);
    js_.assign(n_, -1);
    for (int o = 0; o < n_; ++o) {
      if (ix_.step[o] > 0) jp_[o] = o - 1;
      if (o + 1 < n_ && ix_.job[o + 1] == ix_.job[o]) js_[o] = o + 1;
    }
    mp_.assign(n_, -1);
    ms_.assign(n_, -1);
    set_sequences(seq);
    r_.assign(n_, 0);
    q_.assign(n_, 0);
    order_.reserve(n_);
    indeg_.assign(n_, 0);
  }

  void set_sequences(const std::vector<std::vector<int>>& seq) {
    std::fill(mp_.begin(), mp_.end(), -1);
    std::fill(ms_.begin(), ms_.end(), -1);
    for (const auto& s : seq)
      for (size_t i = 0; i + 1 < s.size(); ++i) ms_[s[i]] = s[i + 1], mp_[s[i + 1]] = s[i];
  }

  std::vector<std::vector<int>> sequences(int machines) const {
    std::vector<std::vector<int>> seq(machines);
    for (int o = 0; o < n_; ++o) {
      if (mp_[o] != -1) continue;
      for (int x = o; x != -1; x = ms_[x]) seq[ix_.machine[x]].push_back(x);
    }
    return seq;
  }

  /// Heads, tails and the makespan; false if the machine arcs make a cycle.
  bool evaluate() {
    order_.clear();
    for (int o = 0; o < n_; ++o) {
      indeg_[o] = (jp_[o] >= 0) + (mp_[o] >= 0);
      if (indeg_[o] == 0) order_.push_back(o);
    }
    for (size_t i = 0; i < order_.size(); ++i) {
      const int o = order_[i];
      for (int x : {js_[o], ms_[o]})
        if (x >= 0 && --indeg_[x] == 0) order_.push_back(x);
    }
    if (static_cast<int>(order_.size()) != n_) return false;
    makespan_ = 0;
    for (int o : order_) {
      int64_t h = 0;
      if (jp_[o] >= 0) h = r_[jp_[o]] + p_[jp_[o]];
      if (mp_[o] >= 0) h = std::max(h, r_[mp_[o]] + p_[mp_[o]]);
      r_[o] = h;
      makespan_ = std::max(makespan_, h + p_[o]);
    }
    for (int i = n_ - 1; i >= 0; --i) {
      const int o = order_[i];
      int64_t t = 0;
      if (js_[o] >= 0) t = q_[js_[o]] + p_[js_[o]];
      if (ms_[o] >= 0) t = std::max(t, q_[ms_[o]] + p_[ms_[o]]);
      q_[o] = t;
    }
    return true;
  }

  /// One critical path, from its first operation to its last.
  void critical_path(std::vector<int>& path) const {
    path.clear();
    int o = -1;
    for (int x = 0; x < n_; ++x)
      if (r_[x] + p_[x] == makespan_ && q_[x] == 0) { o = x; break; }
    while (o >= 0) {
      path.push_back(o);
      const int m = mp_[o], j = jp_[o];
      if (m >= 0 && r_[m] + p_[m] == r_[o]) o = m;       // machine arcs first: longer blocks
      else if (j >= 0 && r_[j] + p_[j] == r_[o]) o = j;
      else o = -1;
    }
    std::reverse(path.begin(), path.end());
  }

  /// Taillard's estimate of the makespan after swapping u and its machine successor v.
  int64_t estimate_swap(int u, int v) const {
    const int a = mp_[u], b = ms_[v];
    auto end_of = [&](int x) { return x >= 0 ? r_[x] + p_[x] : 0; };
    auto tail_of = [&](int x) { return x >= 0 ? q_[x] + p_[x] : 0; };
    const int64_t rv = std::max(end_of(jp_[v]), end_of(a));
    const int64_t ru = std::max(end_of(jp_[u]), rv + p_[v]);
    const int64_t qu = std::max(tail_of(js_[u]), tail_of(b));
    const int64_t qv = std::max(tail_of(js_[v]), qu + p_[u]);
    return std::max(rv + p_[v] + qv, ru + p_[u] + qu);
  }

  /// Swaps u and its machine successor v.
  void swap(int u, int v) {
    const int a = mp_[u], b = ms_[v];
    if (a >= 0) ms_[a] = v;
    if (b >= 0) mp_[b] = u;
    mp_[v] = a;
    ms_[v] = u;
    mp_[u] = v;
    ms_[u] = b;
  }

  int size() const { return n_; }
  int machine(int o) const { return ix_.machine[o]; }
  int machine_next(int o) const { return ms_[o]; }
  int64_t makespan() const { return makespan_; }

 private:
  OpIndex ix_;
  int n_ = 0;
  std::vector<int64_t> p_, r_, q_;
  std::vector<int> jp_, js_, mp_, ms_, order_, indeg_;
  int64_t makespan_ = 0;
};

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
  std::vector<Move> moves;
  int64_t iter = 0;
  for (; iter < opt.max_iterations && best_c > opt.target; ++iter) {
    if ((iter & 255) == 0) {
      if (opt.stop && opt.stop->load(std::memory_order_relaxed)) break;
      if (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > opt.time_limit_s) break;
    }
    g.critical_path(path);
    n5_moves(g, path, moves);
    if (moves.empty()) break;  // one block: the makespan is a machine's load, optimal
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
    g.swap(u, v);
    tabu[static_cast<size_t>(u) * n + v] = iter + tenure_min + static_cast<int64_t>(rng.uniform() * tenure_range);
    g.evaluate();
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
        g.swap(m.u, m.v);
        g.evaluate();
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
