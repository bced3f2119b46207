// A verb's parsed arguments (CLI11 parses them against the verb table, verbs.cpp) and the values
// read from them, with messages that say what was expected. Every user error comes back as an
// Error (exit status 2).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"
#include "core/result.hpp"

namespace linetwin::cli {

/// Parsed arguments of one command.
struct Args {
  std::string command;                                  // e.g. "run" or "surrogate train"
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> values;  // flags with values
  std::map<std::string, bool> switches;                 // flags without values

  bool has(const std::string& name) const;
  /// The last value given for a flag, if any.
  std::optional<std::string> value(const std::string& name) const;
};

/// A whole number in [lo, hi] from flag `name`, or `fallback` when the flag is absent.
Result<uint64_t> uint_flag(const Args& args, const std::string& name, uint64_t lo, uint64_t hi,
                           uint64_t fallback);

/// Loads a scenario with the --set overrides and applies --reps, --horizon, --warmup, --seed
/// and --threads.
Result<scenarios::Scenario> load_for_run(const Args& args, const std::string& path);

/// Overrides given as --set.
Result<std::vector<scenarios::Override>> overrides_of(const Args& args);

}  // namespace linetwin::cli
