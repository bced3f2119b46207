// The verbs of the command line, one file each; verbs.cpp lists them with their flags. Each
// returns the exit status: 0 success, 2 bad input, 1 anything else.
#pragma once
#include <string>

#include "app/args.hpp"
#include "scenarios/scenario.hpp"
#include "sim/experiment.hpp"
#include "core/result.hpp"

namespace linetwin::cli {

/// `linetwin run SCENARIO ...`
int cmd_run(const Args& args);
/// `linetwin validate SCENARIO [--set PATH=VALUE]...`
int cmd_validate(const Args& args);
/// `linetwin compare A.yaml [B.yaml] [--set PATH=VALUE]...`
int cmd_compare(const Args& args);
/// `linetwin schedule INSTANCE ...`
int cmd_schedule(const Args& args);
/// `linetwin view SCENARIO [--screenshot FILE.png] [--frames N] ...`
int cmd_view(const Args& args);
/// `linetwin sweep SCENARIO --samples N ...`
int cmd_sweep(const Args& args);
/// `linetwin surrogate train SCENARIO --samples N --out MODEL ...`
int cmd_surrogate_train(const Args& args);
/// `linetwin surrogate predict MODEL [--set PATH=VALUE]...`
int cmd_surrogate_predict(const Args& args);
/// `linetwin surrogate eval MODEL --data FILE.csv`
int cmd_surrogate_eval(const Args& args);
/// `linetwin optimize SCENARIO [--budget N] [--method M] ...`
int cmd_optimize(const Args& args);

/// `linetwin twin SCENARIO --broker HOST:PORT ...`: the live twin over MQTT
int cmd_twin(const Args& args);
/// `linetwin replay TRACE --broker HOST:PORT ...`: a trace published as a plant would
int cmd_replay(const Args& args);
/// `linetwin calibrate TRACE --scenario S [--out S2]`: times fitted from a trace
int cmd_calibrate(const Args& args);

/// Refuses a scenario whose `runs` runs would simulate more events than can finish in reason
/// (sim::estimate_events), naming the source or station that makes them; says on a terminal when
/// a run will take a while.
Result<bool> check_run_size(const scenarios::Scenario& sc, double runs);

/// Runs a scenario's replications with a progress bar; an unstable line is an Error.
Result<sim::ExperimentResult> run_scenario(const scenarios::Scenario& sc, const std::string& label);

/// Prints an error as one sentence on stderr and returns its exit status: 2 for bad input, 1 when
/// the machine failed (a full disk).
int fail(const Error& e);

}  // namespace linetwin::cli
