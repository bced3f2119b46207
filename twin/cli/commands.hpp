// The verbs of the command line. Each returns the exit status: 0 success, 2 bad input, 1 else.
#pragma once
#include <string>

#include "scenarios/scenario.hpp"
#include "sim/experiment.hpp"
#include "sim/result.hpp"

namespace linetwin::cli {

/// `linetwin run SCENARIO ...`
int cmd_run(int argc, char** argv);
/// `linetwin validate SCENARIO [--set PATH=VALUE]...`
int cmd_validate(int argc, char** argv);
/// `linetwin compare A.yaml [B.yaml] [--set PATH=VALUE]...`
int cmd_compare(int argc, char** argv);
/// `linetwin schedule INSTANCE ...`
int cmd_schedule(int argc, char** argv);
/// `linetwin view SCENARIO [--screenshot FILE.png] [--frames N] ...`
int cmd_view(int argc, char** argv);
/// `linetwin sweep SCENARIO --samples N ...`
int cmd_sweep(int argc, char** argv);
/// `linetwin surrogate train|predict|eval ...`
int cmd_surrogate(int argc, char** argv);
/// `linetwin optimize SCENARIO [--budget N] [--method M] ...`
int cmd_optimize(int argc, char** argv);

/// `linetwin twin SCENARIO --broker HOST:PORT ...`: the live twin over MQTT
int cmd_twin(int argc, char** argv);
/// `linetwin replay TRACE --broker HOST:PORT ...`: a trace published as a plant would
int cmd_replay(int argc, char** argv);
/// `linetwin calibrate TRACE --scenario S [--out S2]`: times fitted from a trace
int cmd_calibrate(int argc, char** argv);

/// Runs a scenario's replications with a progress bar; an unstable line is an Error.
Result<sim::ExperimentResult> run_scenario(const scenarios::Scenario& sc, const std::string& label);

/// Prints an error as one sentence on stderr and returns 2.
int fail(const Error& e);

}  // namespace linetwin::cli
