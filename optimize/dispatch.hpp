// Construction of job-shop schedules by dispatch rules (Giffler and Thompson's active schedules).
// A starting point for the local searches, and a fast answer on its own.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "optimize/jobshop.hpp"

namespace linetwin::optimize {

enum class Rule { kSpt, kLpt, kMwkr, kLwkr, kMopnr, kFifo, kRandom };

/// The rules by name ("spt", "lpt", "mwkr", "lwkr", "mopnr", "fifo", "random").
const std::vector<std::pair<std::string, Rule>>& rule_names();

/// The state of a Giffler-Thompson construction, as the choice among conflicting operations sees it.
struct GtState {
  std::vector<int> next;                  // each job's next step
  std::vector<int64_t> job_ready, machine_ready;
  std::vector<int64_t> work_left;         // each job's processing time still to schedule
  std::vector<int> last;                  // each machine's last operation (OpIndex), -1 before any
};

/// Builds an active schedule (Giffler and Thompson): the schedulable operation that would finish
/// first decides the machine, and among the jobs whose next operation could start on it before
/// then, `choose(conflict, state)` picks one (an index into `conflict`, a list of jobs).
/// Returns the machine sequences (operation numbers as in OpIndex); `makespan` gets their end.
template <class Choose>
std::vector<std::vector<int>> giffler_thompson(const JobShop& shop, Choose&& choose, int64_t* makespan = nullptr) {
  const OpIndex ix(shop);
  const size_t jobs = shop.jobs.size();
  GtState st{std::vector<int>(jobs, 0), std::vector<int64_t>(jobs, 0), std::vector<int64_t>(shop.machines, 0),
             std::vector<int64_t>(jobs, 0), std::vector<int>(shop.machines, -1)};
  for (size_t j = 0; j < jobs; ++j)
    for (const auto& op : shop.jobs[j]) st.work_left[j] += op.duration;
  std::vector<std::vector<int>> seq(shop.machines);
  std::vector<size_t> conflict;
  int64_t end_all = 0;
  for (int scheduled = 0; scheduled < ix.size(); ++scheduled) {
    int64_t first_end = INT64_MAX;
    int machine = -1;
    size_t first_job = 0;
    for (size_t j = 0; j < jobs; ++j) {
      if (st.next[j] >= static_cast<int>(shop.jobs[j].size())) continue;
      const auto& op = shop.jobs[j][st.next[j]];
      const int64_t end = std::max(st.job_ready[j], st.machine_ready[op.machine]) + op.duration;
      if (end < first_end) first_end = end, machine = op.machine, first_job = j;
    }
    // The conflict set always holds the job that finishes first, even when its operation takes
    // no time and so does not start before that end.
    conflict.clear();
    for (size_t j = 0; j < jobs; ++j) {
      if (st.next[j] >= static_cast<int>(shop.jobs[j].size())) continue;
      const auto& op = shop.jobs[j][st.next[j]];
      if (op.machine == machine && (j == first_job || std::max(st.job_ready[j], st.machine_ready[machine]) < first_end))
        conflict.push_back(j);
    }
    const size_t j = conflict[choose(static_cast<const std::vector<size_t>&>(conflict), static_cast<const GtState&>(st))];
    const auto& op = shop.jobs[j][st.next[j]];
    const int64_t start = std::max(st.job_ready[j], st.machine_ready[machine]);
    st.job_ready[j] = st.machine_ready[machine] = start + op.duration;
    end_all = std::max(end_all, start + op.duration);
    st.work_left[j] -= op.duration;
    const int o = ix.first_op[j] + st.next[j];
    seq[machine].push_back(o);
    st.last[machine] = o;
    ++st.next[j];
  }
  if (makespan) *makespan = end_all;
  return seq;
}

/// An active schedule built by `rule`, as machine sequences of operation numbers (OpIndex).
/// `seed` breaks ties (and drives kRandom).
std::vector<std::vector<int>> dispatch(const JobShop& shop, Rule rule, uint64_t seed = 1);

}  // namespace linetwin::optimize
