#include "optimize/dispatch.hpp"

#include <limits>

#include "sim/random.hpp"

namespace linetwin::optimize {

const std::vector<std::pair<std::string, Rule>>& rule_names() {
  static const std::vector<std::pair<std::string, Rule>> names = {
      {"spt", Rule::kSpt},     {"lpt", Rule::kLpt},     {"mwkr", Rule::kMwkr}, {"lwkr", Rule::kLwkr},
      {"mopnr", Rule::kMopnr}, {"fifo", Rule::kFifo},   {"random", Rule::kRandom}};
  return names;
}

std::vector<std::vector<int>> dispatch(const JobShop& shop, Rule rule, uint64_t seed) {
  const OpIndex ix(shop);
  const size_t jobs = shop.jobs.size();
  sim::Rng rng(seed);
  std::vector<int> next(jobs, 0);           // next step of each job
  std::vector<int64_t> job_ready(jobs, 0), machine_ready(shop.machines, 0), work_left(jobs, 0);
  for (size_t j = 0; j < jobs; ++j)
    for (const auto& op : shop.jobs[j]) work_left[j] += op.duration;
  std::vector<std::vector<int>> seq(shop.machines);
  const int n = ix.size();
  for (int scheduled = 0; scheduled < n; ++scheduled) {
    // The schedulable operation that would finish first decides the machine (Giffler-Thompson).
    int64_t best_end = std::numeric_limits<int64_t>::max();
    int machine = -1;
    for (size_t j = 0; j < jobs; ++j) {
      if (next[j] >= static_cast<int>(shop.jobs[j].size())) continue;
      const auto& op = shop.jobs[j][next[j]];
      const int64_t end = std::max(job_ready[j], machine_ready[op.machine]) + op.duration;
      if (end < best_end) best_end = end, machine = op.machine;
    }
    // Among the operations on that machine that could start before then, the rule chooses.
    size_t chosen = jobs;
    double best_key = 0;
    for (size_t j = 0; j < jobs; ++j) {
      if (next[j] >= static_cast<int>(shop.jobs[j].size())) continue;
      const auto& op = shop.jobs[j][next[j]];
      if (op.machine != machine || std::max(job_ready[j], machine_ready[machine]) >= best_end) continue;
      double key = 0;  // smaller is better
      switch (rule) {
        case Rule::kSpt: key = double(op.duration); break;
        case Rule::kLpt: key = -double(op.duration); break;
        case Rule::kMwkr: key = -double(work_left[j]); break;
        case Rule::kLwkr: key = double(work_left[j]); break;
        case Rule::kMopnr: key = -double(shop.jobs[j].size() - next[j]); break;
        case Rule::kFifo: key = double(job_ready[j]); break;
        case Rule::kRandom: key = rng.uniform(); break;
      }
      key += 1e-9 * rng.uniform();  // ties broken at random, reproducibly
      if (chosen == jobs || key < best_key) chosen = j, best_key = key;
    }
    const auto& op = shop.jobs[chosen][next[chosen]];
    const int64_t start = std::max(job_ready[chosen], machine_ready[machine]);
    job_ready[chosen] = machine_ready[machine] = start + op.duration;
    work_left[chosen] -= op.duration;
    seq[machine].push_back(ix.first_op[chosen] + next[chosen]);
    ++next[chosen];
  }
  return seq;
}

}  // namespace linetwin::optimize
