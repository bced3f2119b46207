#include "optimize/metaheuristics.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "optimize/dispatch.hpp"
#include "optimize/disjunctive_graph.hpp"
#include "sim/random.hpp"

namespace linetwin::optimize {
namespace {

using Clock = std::chrono::steady_clock;

double elapsed_s(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

bool should_stop(const SearchLimits& l, Clock::time_point t0, int64_t iter, int64_t best) {
  if (iter >= l.max_iterations || best <= l.target) return true;
  if ((iter & 255) != 0) return false;
  return (l.stop && l.stop->load(std::memory_order_relaxed)) || elapsed_s(t0) > l.time_limit_s;
}

size_t pick(sim::Rng& rng, size_t n) { return std::min(n - 1, static_cast<size_t>(rng.uniform() * double(n))); }

}  // namespace

SearchResult simulated_annealing(const JobShop& shop, std::vector<std::vector<int>> start, const SearchLimits& l) {
  const auto t0 = Clock::now();
  detail::Graph g(shop, start);
  SearchResult out;
  if (!g.evaluate()) return out;
  sim::Rng rng(l.seed);
  out.sequences = g.sequences(shop.machines);
  out.makespan = g.makespan();
  const double t_start = std::max(1.0, 0.05 * double(g.makespan())), t_end = 0.5;
  std::vector<int> path;
  std::vector<std::pair<int, int>> pairs;
  int64_t iter = 0;
  for (; !should_stop(l, t0, iter, out.makespan); ++iter) {
    g.critical_path(path);
    pairs.clear();
    for (size_t i = 0; i + 1 < path.size(); ++i)
      if (g.machine_next(path[i]) == path[i + 1]) pairs.push_back({path[i], path[i + 1]});
    if (pairs.empty()) break;  // no block: the makespan is the longest job, optimal
    // Progress through the budget, by iterations when they bound the search, else by time.
    const double progress = l.max_iterations < INT64_MAX ? double(iter) / double(l.max_iterations)
                                                         : elapsed_s(t0) / l.time_limit_s;
    const double temperature = t_start * std::pow(t_end / t_start, std::min(1.0, progress));
    const auto [u, v] = pairs[pick(rng, pairs.size())];
    const int64_t before = g.makespan();
    if (!g.try_swap(u, v)) continue;  // it would make a cycle
    const double delta = double(g.makespan() - before);
    if (delta <= 0 || rng.uniform() < std::exp(-delta / temperature)) {
      if (g.makespan() < out.makespan) {
        out.makespan = g.makespan();
        out.sequences = g.sequences(shop.machines);
      }
    } else {
      g.swap(v, u);  // undo
      g.evaluate();
    }
  }
  out.iterations = iter;
  return out;
}

namespace {

// Decodes a permutation with repetition into an active schedule: each operation goes into the
// earliest gap on its machine that fits after its job's previous operation.
int64_t decode(const JobShop& shop, const OpIndex& ix, const std::vector<int>& perm,
               std::vector<std::vector<int>>& seq) {
  const size_t jobs = shop.jobs.size();
  std::vector<int> next(jobs, 0);
  std::vector<int64_t> job_ready(jobs, 0);
  std::vector<std::vector<std::pair<int64_t, int64_t>>> busy(shop.machines);  // sorted intervals
  for (auto& s : seq) s.clear();
  seq.resize(shop.machines);
  std::vector<std::vector<int>> order(shop.machines);
  int64_t makespan = 0;
  for (int j : perm) {
    const int k = next[j]++;
    const auto& op = shop.jobs[j][k];
    auto& iv = busy[op.machine];
    int64_t t = job_ready[j];
    size_t pos = 0;
    for (; pos < iv.size(); ++pos) {
      if (t + op.duration <= iv[pos].first) break;  // fits in the gap before interval pos
      t = std::max(t, iv[pos].second);
    }
    iv.insert(iv.begin() + static_cast<std::ptrdiff_t>(pos), {t, t + op.duration});
    order[op.machine].insert(order[op.machine].begin() + static_cast<std::ptrdiff_t>(pos), ix.first_op[j] + k);
    job_ready[j] = t + op.duration;
    makespan = std::max(makespan, job_ready[j]);
  }
  seq = std::move(order);
  return makespan;
}

}  // namespace

SearchResult genetic_algorithm(const JobShop& shop, const SearchLimits& l) {
  const auto t0 = Clock::now();
  const OpIndex ix(shop);
  sim::Rng rng(l.seed);
  const size_t jobs = shop.jobs.size();
  std::vector<int> base;
  for (size_t j = 0; j < jobs; ++j) base.insert(base.end(), shop.jobs[j].size(), static_cast<int>(j));
  const size_t n = base.size(), pop_size = 60;
  struct Member {
    std::vector<int> perm;
    int64_t makespan;
  };
  std::vector<std::vector<int>> seq;
  std::vector<Member> pop;
  for (size_t i = 0; i < pop_size; ++i) {
    std::vector<int> p = base;
    for (size_t k = n; k > 1; --k) std::swap(p[k - 1], p[pick(rng, k)]);
    const int64_t c = decode(shop, ix, p, seq);
    pop.push_back({std::move(p), c});
  }
  auto by_makespan = [](const Member& a, const Member& b) { return a.makespan < b.makespan; };
  std::sort(pop.begin(), pop.end(), by_makespan);
  auto tournament = [&]() -> const Member& {
    const Member& a = pop[pick(rng, pop.size())];
    const Member& b = pop[pick(rng, pop.size())];
    return a.makespan <= b.makespan ? a : b;
  };
  int64_t children = 0;
  std::vector<char> keep(jobs);
  while (!should_stop(l, t0, children, pop.front().makespan)) {
    std::vector<Member> next(pop.begin(), pop.begin() + 2);  // elitism
    while (next.size() < pop_size) {
      const Member& a = tournament();
      const Member& b = tournament();
      // POX: the jobs of a random subset keep their places from a; the rest follow b's order.
      for (auto& k : keep) k = rng.uniform() < 0.5;
      std::vector<int> child(n, -1);
      for (size_t i = 0; i < n; ++i)
        if (keep[a.perm[i]]) child[i] = a.perm[i];
      size_t fill = 0;
      for (int j : b.perm) {
        if (keep[j]) continue;
        while (child[fill] != -1) ++fill;
        child[fill] = j;
      }
      if (rng.uniform() < 0.3) std::swap(child[pick(rng, n)], child[pick(rng, n)]);
      const int64_t c = decode(shop, ix, child, seq);
      next.push_back({std::move(child), c});
      ++children;
    }
    pop = std::move(next);
    std::sort(pop.begin(), pop.end(), by_makespan);
  }
  SearchResult out;
  out.makespan = decode(shop, ix, pop.front().perm, out.sequences);
  out.iterations = children;
  return out;
}

SearchResult ant_colony(const JobShop& shop, const SearchLimits& l) {
  const auto t0 = Clock::now();
  const OpIndex ix(shop);
  sim::Rng rng(l.seed);
  const int n = ix.size();
  const size_t ants = 10;
  const double rho = 0.1, beta = 1.0;
  // tau[(a + 1) * n + b]: "b follows a on its machine"; a = -1 is the machine's start.
  std::vector<double> tau(static_cast<size_t>(n + 1) * n, 1.0);
  double tau_max = 1.0, tau_min = 0.01;
  auto pheromone = [&](int a, int b) -> double& { return tau[static_cast<size_t>(a + 1) * n + b]; };

  SearchResult best;
  best.makespan = INT64_MAX;
  std::vector<std::vector<int>> colony_best;
  std::vector<double> weight;
  int64_t built = 0;
  while (!should_stop(l, t0, built, best.makespan)) {
    int64_t colony_c = INT64_MAX;
    for (size_t a = 0; a < ants; ++a, ++built) {
      int64_t c = 0;
      auto seq = giffler_thompson(shop, [&](const std::vector<size_t>& conflict, const GtState& st) {
        weight.clear();
        double total = 0;
        for (size_t j : conflict) {
          const int o = ix.first_op[j] + st.next[j];
          const int m = ix.machine[o];
          weight.push_back(pheromone(st.last[m], o) * std::pow(1.0 + double(st.work_left[j]), beta));
          total += weight.back();
        }
        double u = rng.uniform() * total;
        size_t k = 0;
        while (k + 1 < conflict.size() && (u -= weight[k]) > 0) ++k;
        return k;
      }, &c);
      if (c < colony_c) colony_c = c, colony_best = std::move(seq);
    }
    if (colony_c < best.makespan) {
      best.makespan = colony_c;
      best.sequences = colony_best;
      tau_max = 1.0 / (rho * double(best.makespan));
      tau_min = tau_max / (2.0 * n);
    }
    // Evaporation, then the colony's best lays pheromone on its machine successions.
    for (auto& t : tau) t = std::max(tau_min, (1 - rho) * t);
    const double deposit = 1.0 / double(colony_c);
    for (const auto& s : colony_best) {
      int prev = -1;
      for (int o : s) {
        double& t = pheromone(prev, o);
        t = std::min(tau_max, t + deposit);
        prev = o;
      }
    }
  }
  best.iterations = built;
  return best;
}

}  // namespace linetwin::optimize
