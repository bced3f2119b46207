// Private to optimize/: the disjunctive graph of one job-shop solution (job arcs fixed, machine
// arcs from the machine sequences), with heads, tails, a critical path, Taillard's estimate of an
// adjacent swap and its extension to moving an operation within a block, and the moves
// themselves. Shared by the tabu search and simulated annealing.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "optimize/jobshop.hpp"

namespace linetwin::optimize::detail {

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

  /// The estimate of the makespan after moving u right after v (forward) or v right before u
  /// (backward), u before v on one machine: heads and tails recomputed along the machine segment
  /// from u to v in its new order, from the old values around it (exact for the segment, an
  /// estimate beyond it). For adjacent u and v it is Taillard's estimate of the swap.
  int64_t estimate_insert(int u, int v, bool forward) {
    seg_.clear();
    if (forward) {
      for (int x = ms_[u];; x = ms_[x]) { seg_.push_back(x); if (x == v) break; }
      seg_.push_back(u);
    } else {
      seg_.push_back(v);
      for (int x = u; x != v; x = ms_[x]) seg_.push_back(x);
    }
    auto end_of = [&](int x) { return x >= 0 ? r_[x] + p_[x] : 0; };
    auto tail_of = [&](int x) { return x >= 0 ? q_[x] + p_[x] : 0; };
    const size_t k = seg_.size();
    head_.resize(k);
    int64_t prev = end_of(mp_[u]);
    for (size_t i = 0; i < k; ++i) {
      const int x = seg_[i];
      head_[i] = std::max(end_of(jp_[x]), prev);
      prev = head_[i] + p_[x];
    }
    int64_t next = tail_of(ms_[v]), est = 0;
    for (size_t i = k; i-- > 0;) {
      const int x = seg_[i];
      const int64_t q = std::max(tail_of(js_[x]), next);
      est = std::max(est, head_[i] + p_[x] + q);
      next = q + p_[x];
    }
    return est;
  }

  /// Moves u right after v (forward) or v right before u (backward), u before v on one machine,
  /// and evaluates; if that makes a cycle, undoes it and returns false.
  bool try_insert(int u, int v, bool forward) {
    if (forward) {
      const int old_next = ms_[u];
      unlink(u);
      link_after(u, v);
      if (evaluate()) return true;
      unlink(u);
      link_before(u, old_next);
    } else {
      const int old_prev = mp_[v];
      unlink(v);
      link_before(v, u);
      if (evaluate()) return true;
      unlink(v);
      link_after(v, old_prev);
    }
    evaluate();
    return false;
  }

  /// Swaps u and its machine successor v and evaluates; if that makes a cycle, undoes it and
  /// returns false. (Swapping two adjacent critical operations cannot make a cycle when every
  /// operation takes time, but with operations of zero duration another path of the same length
  /// can run from u to v, and then it can: orb07 has such operations.)
  bool try_swap(int u, int v) {
    swap(u, v);
    if (evaluate()) return true;
    swap(v, u);
    evaluate();
    return false;
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
  int machine_prev(int o) const { return mp_[o]; }
  int job_prev(int o) const { return jp_[o]; }
  int job_next(int o) const { return js_[o]; }
  /// The longest path from time 0 to o's end, and from o's start to the end of the schedule.
  int64_t head_end(int o) const { return r_[o] + p_[o]; }
  int64_t tail_start(int o) const { return q_[o] + p_[o]; }

  int machine(int o) const { return ix_.machine[o]; }
  int machine_next(int o) const { return ms_[o]; }
  int64_t makespan() const { return makespan_; }

 private:
  void unlink(int x) {
    const int a = mp_[x], b = ms_[x];
    if (a >= 0) ms_[a] = b;
    if (b >= 0) mp_[b] = a;
    mp_[x] = ms_[x] = -1;
  }
  void link_after(int x, int y) {
    const int b = ms_[y];
    ms_[y] = x, mp_[x] = y, ms_[x] = b;
    if (b >= 0) mp_[b] = x;
  }
  void link_before(int x, int y) {
    const int a = mp_[y];
    mp_[y] = x, ms_[x] = y, mp_[x] = a;
    if (a >= 0) ms_[a] = x;
  }

  OpIndex ix_;
  std::vector<int> seg_;
  std::vector<int64_t> head_;
  int n_ = 0;
  std::vector<int64_t> p_, r_, q_;
  std::vector<int> jp_, js_, mp_, ms_, order_, indeg_;
  int64_t makespan_ = 0;
};

}  // namespace linetwin::optimize::detail
