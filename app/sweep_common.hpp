// Helpers shared by the verbs that simulate designs of points (sweep, surrogate train,
// optimize): the --design flag, a scenario opened for sampling, a sweep with a progress bar.
#pragma once
#include <string>

#include "surrogates/sampling.hpp"
#include "app/args.hpp"

namespace linetwin::cli {

/// --design lhs|grid|random (default lhs).
Result<surrogates::DesignKind> design_flag(const Args& args);

/// The scenario at `path` with --set and the run flags, ready to simulate at any point.
Result<surrogates::ScenarioSampler> open_sampler(const Args& args, const std::string& path);

/// A design as the flags ask for it: --samples N points (1 to 10,000,000; 0 when the flag is
/// absent, for verbs that can do without) laid out by --design over the factors of the scenario
/// named first on the command line, opened with --set and the run flags.
struct DesignRequest {
  uint64_t samples = 0;
  surrogates::DesignKind kind{};
  surrogates::ScenarioSampler sampler;
};
Result<DesignRequest> open_design(const Args& args);

/// Simulates a design of `samples` points with a progress bar; `note` says what a grid became.
Result<surrogates::Dataset> run_sweep(const surrogates::ScenarioSampler& sampler, surrogates::DesignKind kind,
                                      size_t samples, const std::string& label, std::string* note);

}  // namespace linetwin::cli
