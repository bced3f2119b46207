#include "optimize/solve.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>
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

std::string gantt_svg(const JobShop& shop, const Schedule& s, int64_t lower_bound) {
  const OpIndex ix(shop);
  std::string name;
  for (char c : shop.name) name += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
  const auto critical = critical_operations(shop, s);
  const double left = 90, top = 50, row = 28, width = 1000;
  const double scale = s.makespan > 0 ? width / double(s.makespan) : 1.0;
  const double height = top + row * shop.machines + 60;
  std::ostringstream o;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
                left + width + 40, height);
  o << buf << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  std::snprintf(buf, sizeof buf,
                "<text x=\"%.0f\" y=\"22\" font-size=\"16\">%s: %zu jobs on %d machines, makespan %lld (lower bound %lld, gap %.2f%%)</text>\n",
                left, name.c_str(), shop.jobs.size(), shop.machines, static_cast<long long>(s.makespan),
                static_cast<long long>(lower_bound),
                lower_bound > 0 ? 100.0 * double(s.makespan - lower_bound) / double(lower_bound) : 0.0);
  o << buf;
  for (int m = 0; m < shop.machines; ++m) {
    std::snprintf(buf, sizeof buf, "<text x=\"10\" y=\"%.1f\">machine %d</text>\n", top + row * m + row * 0.65, m);
    o << buf;
  }
  const size_t jobs = shop.jobs.size();
  for (int op = 0; op < ix.size(); ++op) {
    const int j = ix.job[op];
    const double x = left + scale * double(s.start[j][ix.step[op]]), w = scale * double(ix.duration[op]);
    const double y = top + row * ix.machine[op] + 3;
    const double hue = 360.0 * double(j) / double(std::max<size_t>(jobs, 1));
    std::snprintf(buf, sizeof buf,
                  "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"hsl(%.0f,65%%,%d%%)\" stroke=\"%s\" stroke-width=\"%s\"><title>job %d, operation %d: start %lld, duration %lld%s</title></rect>\n",
                  x, y, w, row - 6, hue, j % 2 ? 62 : 74, critical[op] ? "black" : "white", critical[op] ? "2.5" : "0.5",
                  j, ix.step[op], static_cast<long long>(s.start[j][ix.step[op]]), static_cast<long long>(ix.duration[op]),
                  critical[op] ? ", critical" : "");
    o << buf;
    if (w > 16) {
      std::snprintf(buf, sizeof buf, "<text x=\"%.2f\" y=\"%.1f\" font-size=\"10\">%d</text>\n", x + 3, y + (row - 6) * 0.7, j);
      o << buf;
    }
  }
  const double xe = left + scale * double(s.makespan), yb = top + row * shop.machines;
  // A time axis with about ten ticks at round numbers.
  if (s.makespan > 0) {
    double step = std::pow(10.0, std::floor(std::log10(double(s.makespan) / 10)));
    if (double(s.makespan) / step > 25) step *= 2.5;
    if (double(s.makespan) / step > 12) step *= 2;
    for (double t = 0; t <= double(s.makespan); t += step) {
      const double x = left + scale * t;
      std::snprintf(buf, sizeof buf,
                    "<line x1=\"%.2f\" y1=\"%.0f\" x2=\"%.2f\" y2=\"%.0f\" stroke=\"#bbb\"/>"
                    "<text x=\"%.2f\" y=\"%.0f\" font-size=\"10\" text-anchor=\"middle\" fill=\"#666\">%.0f</text>\n",
                    x, yb, x, yb + 5, x, yb + 16, t);
      o << buf;
    }
  }
  std::snprintf(buf, sizeof buf,
                "<line x1=\"%.2f\" y1=\"%.0f\" x2=\"%.2f\" y2=\"%.0f\" stroke=\"red\" stroke-width=\"2\"/>\n"
                "<text x=\"%.2f\" y=\"%.0f\" fill=\"red\" text-anchor=\"end\">makespan %lld</text>\n"
                "<text x=\"%.0f\" y=\"%.0f\">Black outlines: the critical path. Numbers: jobs.</text>\n",
                xe, top - 8, xe, yb + 4, xe, yb + 30, static_cast<long long>(s.makespan), left, yb + 46);
  o << buf << "</svg>\n";
  return o.str();
}

}  // namespace linetwin::optimize
