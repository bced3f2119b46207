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

/// Simulates a design of `samples` points with a progress bar; `note` says what a grid became.
Result<surrogates::Dataset> run_sweep(const surrogates::ScenarioSampler& sampler, surrogates::DesignKind kind,
                                      size_t samples, const std::string& label, std::string* note);

}  // namespace linetwin::cli
