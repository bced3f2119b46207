#include "optimize/solve.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "optimize/dispatch.hpp"
#include "optimize/metaheuristics.hpp"
#include "optimize/tabu.hpp"

namespace linetwin::optimize {

std::vector<std::string> method_names() {
  std::vector<std::string> names = {"tabu", "tabu-n5", "anneal", "genetic", "ants", "dispatch"};
  for (const auto& [name, rule] : rule_names()) names.push_back(name);
  return names;
}

Result<SolveResult> solve(const JobShop& shop, const SolveOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  SolveResult out;
  out.lower_bound = lower_bound(shop);
  const auto& rules = rule_names();
  auto finish = [&](std::vector<std::vector<int>> seq) -> Result<SolveResult> {
    out.schedule = schedule_from_sequences(shop, seq);
    out.sequences = std::move(seq);
    out.time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (std::string bad = check_schedule(shop, out.schedule); !bad.empty())
      return Error::in("", "internal error: the solver made an invalid schedule: " + bad);
    return out;
  };
  for (const auto& [name, rule] : rules)
    if (opt.method == name) return finish(dispatch(shop, rule, opt.seed));
  if (opt.method == "dispatch") {
    std::vector<std::vector<int>> best;
    int64_t best_c = INT64_MAX;
    for (const auto& [name, rule] : rules) {
      auto seq = dispatch(shop, rule, opt.seed);
      const int64_t c = schedule_from_sequences(shop, seq).makespan;
      if (c < best_c) best_c = c, best = std::move(seq);
    }
    return finish(std::move(best));
  }
  const bool tabu_n5 = opt.method == "tabu-n5";
  const bool tabu = opt.method == "tabu" || tabu_n5, anneal = opt.method == "anneal", genetic = opt.method == "genetic",
             ants = opt.method == "ants";
  if (!tabu && !anneal && !genetic && !ants) {
    std::string known;
    for (const auto& m : method_names()) known += (known.empty() ? "" : ", ") + m;
    return Error::in("--method", "unknown method '" + opt.method + "'; methods are " + known);
  }
  uint32_t threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  out.threads = threads;
  std::vector<TabuResult> results(threads);
  std::atomic<bool> stop{false};
  auto worker = [&](uint32_t t) {
    // Each thread starts from another rule and seed, so the searches spread out.
    const Rule rule = rules[(t + opt.seed) % (rules.size() - 1)].second;  // all but random
    const uint64_t seed = opt.seed * 1000003ULL + t;
    const int64_t max_iterations = opt.iterations > 0 ? opt.iterations : INT64_MAX;
    // With an iteration bound no thread cuts another short, so that the result is reproducible.
    const std::atomic<bool>* stop_flag = opt.iterations > 0 ? nullptr : &stop;
    if (tabu) {
      TabuOptions to;
      to.seed = seed;
      to.neighbourhood = tabu_n5 ? Neighbourhood::kN5 : Neighbourhood::kN7;
      to.time_limit_s = opt.time_limit_s;
      to.max_iterations = max_iterations;
      to.target = out.lower_bound;
      to.stop = stop_flag;
      results[t] = tabu_search(shop, dispatch(shop, rule, seed), to);
    } else {
      SearchLimits sl{seed, max_iterations, opt.time_limit_s, out.lower_bound, stop_flag};
      SearchResult r = anneal  ? simulated_annealing(shop, dispatch(shop, rule, seed), sl)
                       : genetic ? genetic_algorithm(shop, sl)
                                 : ant_colony(shop, sl);
      results[t].sequences = std::move(r.sequences);
      results[t].makespan = r.makespan;
      results[t].iterations = r.iterations;
    }
    if (results[t].makespan <= out.lower_bound) stop = true;
  };
  std::vector<std::thread> pool;
  for (uint32_t t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& th : pool) th.join();
  size_t best = 0;
  for (size_t t = 0; t < results.size(); ++t) {
    out.iterations += results[t].iterations;
    if (results[t].makespan < results[best].makespan) best = t;
  }
  return finish(std::move(results[best].sequences));
}

std::vector<bool> critical_operations(const JobShop& shop, const Schedule& s) {
  const OpIndex ix(shop);
  const int n = ix.size();
  std::vector<int64_t> start(n), tail(n, 0);
  for (int o = 0; o < n; ++o) start[o] = s.start[ix.job[o]][ix.step[o]];
  // Machine successors by start time; tails by decreasing start (every successor starts later).
  std::vector<int> by_start(n), mach_next(n, -1), last_on(shop.machines, -1);
  for (int o = 0; o < n; ++o) by_start[o] = o;
  std::sort(by_start.begin(), by_start.end(), [&](int a, int b) { return start[a] < start[b] || (start[a] == start[b] && a < b); });
  for (int i = n - 1; i >= 0; --i) {
    const int o = by_start[i], m = ix.machine[o];
    mach_next[o] = last_on[m];
    last_on[m] = o;
  }
  for (int i = n - 1; i >= 0; --i) {
    const int o = by_start[i];
    int64_t t = 0;
    const bool job_next = o + 1 < n && ix.job[o + 1] == ix.job[o];
    if (job_next) t = tail[o + 1] + ix.duration[o + 1];
    if (mach_next[o] >= 0) t = std::max(t, tail[mach_next[o]] + ix.duration[mach_next[o]]);
    tail[o] = t;
  }
  std::vector<bool> critical(n);
  for (int o = 0; o < n; ++o) critical[o] = start[o] + ix.duration[o] + tail[o] == s.makespan;
  return critical;
}

}  // namespace linetwin::optimize
