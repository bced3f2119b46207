// What `run` and `compare` print: a readable table, or one JSON object per the contract.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "scenarios/scenario.hpp"
#include "sim/experiment.hpp"

namespace linetwin::cli {

/// JSON as the command line writes it: objects keep their keys in the order they were set.
using Json = nlohmann::ordered_json;

/// The text of a JSON object a command prints: indented by two, a final newline; NaN and
/// infinities as null, and bytes that are not UTF-8 (a file name, say) as U+FFFD.
std::string json_text(const Json& j);

/// The run's JSON object (CONTRACT.md, `linetwin run --json`).
Json run_json(const scenarios::Scenario& sc, const sim::ExperimentResult& r);

/// What a planner should know about the run besides its figures (CONTRACT.md `warnings`): the
/// line's own warnings, replications that locked for good, a line still filling up.
std::vector<std::string> run_warnings(const scenarios::Scenario& sc, const sim::ExperimentResult& r);

/// The run's table for people: line KPIs and per-station figures with their intervals.
std::string run_table(const scenarios::Scenario& sc, const sim::ExperimentResult& r);

/// {"mean": M, "ci95": [LO, HI]} (ci95 null for one replication).
Json summary_json(const sim::Summary& s);

/// A factor's value `v`: a whole number for an integer factor (a buffer, machines), else as is.
Json factor_json(const scenarios::Factor& f, double v);

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
