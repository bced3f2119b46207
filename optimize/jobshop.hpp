// Job-shop scheduling: instances (OR-Library format), schedules, their checks and lower bounds.
// The solvers are in dispatch.hpp (rules) and tabu.hpp (tabu search); solve.hpp runs them.
// Standard library only.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace linetwin::optimize {

/// One operation: a machine and a processing time.
struct Operation {
  int machine = 0;
  int64_t duration = 0;
};

/// A job shop: each job's operations in route order.
struct JobShop {
  std::string name;
  int machines = 0;
  std::vector<std::vector<Operation>> jobs;
  /// All operations, numbered job by job in route order.
  int operation_count() const;
};

/// Reads an OR-Library job-shop file: '#' comments, "jobs machines", then one line per job of
/// "machine time" pairs. Errors name the file, line and what was expected.
Result<JobShop> parse_jobshop(const std::string& text, const std::string& file);
/// The same from a file.
Result<JobShop> load_jobshop(const std::string& path);

/// A schedule: start[j][k] is the start of job j's k-th operation.
struct Schedule {
  std::vector<std::vector<int64_t>> start;
  int64_t makespan = 0;
};

/// Why `s` is not a valid schedule of `shop` (route order, overlaps, claimed makespan), or "".
std::string check_schedule(const JobShop& shop, const Schedule& s);

/// A lower bound on the makespan: the longest job, and per machine the optimum of its preemptive
/// one-machine relaxation with the jobs' heads and tails (Jackson's preemptive schedule).
int64_t lower_bound(const JobShop& shop);

/// Machine sequences (operation numbers per machine) into the earliest schedule that keeps them
/// (a semi-active schedule). Empty start lists when the sequences make a cycle.
Schedule schedule_from_sequences(const JobShop& shop, const std::vector<std::vector<int>>& sequences);

/// Indexing of operations: op = first_op[j] + k.
struct OpIndex {
  std::vector<int> job, step, machine, first_op;
  std::vector<int64_t> duration;
  explicit OpIndex(const JobShop& shop);
  int size() const { return static_cast<int>(job.size()); }
};

}  // namespace linetwin::optimize
