// Command-line arguments: flags checked against what each command accepts, values parsed with
// messages that say what was expected. Every user error comes back as an Error (exit status 2).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"
#include "sim/result.hpp"

namespace linetwin::cli {

/// What a command accepts: a flag with or without a value, possibly repeated.
struct OptionSpec {
  std::string name;      // without the leading "--"
  bool takes_value = false;
  bool repeatable = false;
};

/// Parsed arguments of one command.
struct Args {
  std::string command;                                  // e.g. "run"
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> values;  // flags with values
  std::map<std::string, bool> switches;                 // flags without values

  bool has(const std::string& name) const;
  /// The last value given for a flag, if any.
  std::optional<std::string> value(const std::string& name) const;
};

/// Parses argv[first..] for `command`; "--name=value" and "--name value" are both accepted.
Result<Args> parse_args(int argc, char** argv, int first, const std::string& command,
                        const std::vector<OptionSpec>& spec);

/// A whole number in [lo, hi] from flag `name`, or `fallback` when the flag is absent.
Result<uint64_t> uint_flag(const Args& args, const std::string& name, uint64_t lo, uint64_t hi,
                           uint64_t fallback);

/// The options shared by every command that runs a scenario.
std::vector<OptionSpec> scenario_options();

/// Loads a scenario with the --set overrides and applies --reps, --horizon, --warmup, --seed
/// and --threads.
Result<scenarios::Scenario> load_for_run(const Args& args, const std::string& path);

/// Overrides given as --set.
Result<std::vector<scenarios::Override>> overrides_of(const Args& args);

}  // namespace linetwin::cli
