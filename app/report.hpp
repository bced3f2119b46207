// What `run` and `compare` print: a readable table, or one JSON object per the contract.
#pragma once
#include <string>

#include "scenarios/scenario.hpp"
#include "sim/experiment.hpp"

namespace linetwin::cli {

/// The run's JSON object (CONTRACT.md, `linetwin run --json`).
std::string run_json(const scenarios::Scenario& sc, const sim::ExperimentResult& r);

/// The run's table for people: line KPIs and per-station figures with their intervals.
std::string run_table(const scenarios::Scenario& sc, const sim::ExperimentResult& r);

/// "{"mean": M, "ci95": [LO, HI]}" (ci95 null for one replication).
std::string summary_json(const sim::Summary& s);

/// A number for people: 4 significant digits, "-" when not a number.
std::string fmt(double v, int digits = 4);

/// A progress bar on stderr for long runs when stderr is a terminal; silent otherwise.
class Progress {
 public:
  explicit Progress(std::string what);
  ~Progress();
  /// Records the fraction done, in [0, 1] (thread-safe).
  void update(double fraction);

 private:
  std::string what_;
  bool tty_;
  double t0_;
  bool shown_ = false;
  double last_ = 0;
};

}  // namespace linetwin::cli
