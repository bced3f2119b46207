#include "app/verbs.hpp"

#include "app/commands.hpp"

namespace linetwin::cli {
namespace {

/// The flags of every verb that simulates a scenario (CONTRACT.md, `linetwin run`).
std::vector<FlagDef> run_flags() {
  return {
      {"reps", "N", "replications (default: the scenario's replications)"},
      {"horizon", "T", "measured run length after the warm-up, e.g. 5000, 90s, 8h (bare: the scenario's unit)"},
      {"warmup", "T", "time before statistics are kept, as --horizon"},
      {"seed", "S", "the seed of the first replication (default: the scenario's seed)"},
      {"threads", "N", "worker threads (default: all cores); results do not depend on it"},
      {"set", "PATH=VALUE", "overrides one value of the scenario, e.g. stations.m2.machines=2 (repeatable)", true},
  };
}

FlagDef set_flag() { return {"set", "PATH=VALUE", "overrides one value of the scenario (repeatable)", true}; }
FlagDef json_flag() { return {"json", "", "prints one JSON object on stdout instead of the table"}; }

std::vector<FlagDef> with(std::vector<FlagDef> base, const std::vector<FlagDef>& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

std::vector<FlagDef> broker_flags() {
  return {
      {"broker", "HOST:PORT", "the MQTT broker, e.g. 127.0.0.1:1883 or [::1]:1883 (required)"},
      {"prefix", "P", "the topics' prefix (default: line)"},
      {"client-id", "ID", "the MQTT client id, whose session the broker keeps (default: one of this process, "
                          "linetwin-VERB-P-HOST-PID, its session removed on exit)"},
      {"connect-timeout", "S", "seconds to wait for the broker (default: 10)"},
  };
}

// The whole command line in one place, a row per verb; longer than a function should be because it
// is a table, and split it would scatter the verbs again.
std::vector<VerbDef> make_table() {
  return {
      {"run", "simulate a line: KPIs with 95% intervals over replications", "SCENARIO",
       "Runs the scenario's replications (in parallel, the same numbers for any --threads) and prints the "
       "line's throughput, lead time, WIP and lost arrivals, and each station's utilization, blocked, "
       "starved, down and queue, each with its 95% interval.",
       with(run_flags(), {json_flag(),
                          {"out", "DIR", "also writes line.csv, stations.csv, products.csv and summary.csv to DIR (all or none)"},
                          {"trace", "FILE", "records replication 0 event by event (docs/trace_format.md)"}}),
       cmd_run},
      {"compare", "compare two scenarios with common random numbers and paired intervals", "A.yaml [B.yaml]",
       "Runs A and B with the same seeds and A's run settings, and prints each KPI's difference B - A with its "
       "paired 95% interval and whether it is significant. With one file, B is A with the --set changes.",
       with(run_flags(), {json_flag()}), cmd_compare},
      {"validate", "check a scenario file and say what is in it", "SCENARIO", "", {set_flag()}, cmd_validate},
      {"schedule", "plan a job shop (OR-Library file), or a scenario's orders on its line", "INSTANCE|SCENARIO.yaml",
       "With an OR-Library instance: the makespan, a lower bound, the gap and the schedule. With a scenario "
       "(.yaml) holding orders: the orders planned on its stations (with their changeovers and shift "
       "calendars), then the plan executed in the simulator, planned against simulated makespan and tardiness.",
       with(run_flags(),
            {{"time-limit", "S", "seconds of search (default: 10)"},
             {"iterations", "N", "iterations per thread instead of a time limit (the same schedule on any machine)"},
             {"method", "M", "instances: tabu (default), tabu-n5, anneal, genetic, ants, dispatch, spt, lpt, mwkr, "
                             "lwkr, mopnr, fifo or random"},
             {"objective", "O", "scenarios: makespan (default) or tardiness"},
             {"gantt", "FILE.svg", "draws the schedule as a Gantt chart"},
             json_flag()}),
       cmd_schedule},
      {"view", "the 3D viewer: watch the line run, inspect stations, try changes", "SCENARIO", "",
       with(run_flags(), {{"screenshot", "FILE.png", "renders --frames frames, writes the last as a PNG and exits"},
                          {"frames", "N", "frames to render for --screenshot (default: 120)"},
                          {"time", "T", "the simulated time to start from"},
                          {"speed", "X", "simulated seconds per real second, from 1 (default: a pace at which the slowest station is seen working)"},
                          {"select", "STATION", "the station selected at start"},
                          {"size", "WxH", "the window's size, e.g. 1280x720"}}),
       cmd_view},
      {"sweep", "simulate a design over the scenario's factors, one CSV row per point", "SCENARIO", "",
       with(run_flags(), {{"samples", "N", "the number of points (required)"},
                          {"design", "D", "lhs (default), grid or random"},
                          {"out", "FILE.csv", "writes the rows there instead of stdout"},
                          json_flag()}),
       cmd_sweep},
      {"surrogate", "neural surrogates of a line: train, predict, eval", "", "", {}, nullptr,
       {
           {"train", "train a neural model of the KPIs on simulated points", "SCENARIO", "",
            with(run_flags(), {{"samples", "N", "points to simulate (or --data)"},
                               {"design", "D", "lhs (default), grid or random"},
                               {"data", "FILE.csv", "points already simulated by sweep, instead of --samples"},
                               {"out", "MODEL", "the model file to write (required)"},
                               json_flag()}),
            cmd_surrogate_train},
           {"predict", "predict the KPIs at a setting of the factors in milliseconds", "MODEL", "",
            {set_flag(), {"extrapolate", "", "allows settings outside the trained ranges"}, json_flag()},
            cmd_surrogate_predict},
           {"eval", "score a model (R^2, MAPE per KPI) on simulated points", "MODEL", "",
            {{"data", "FILE.csv", "the points to score on (required)"}, json_flag()}, cmd_surrogate_eval},
       }},
      {"optimize", "search the factors for the best objective, confirmed by simulation", "SCENARIO", "",
       with(run_flags(), {{"budget", "N", "simulator runs to spend (default: 100)"},
                          {"method", "M", "grid, random, anneal, ga or gradient (default: gradient, or anneal when the budget is too small to train a surrogate)"},
                          {"surrogate", "MODEL", "a trained surrogate to search through"},
                          json_flag()}),
       cmd_optimize},
      {"twin", "the live twin: mirror a line from MQTT station events and forecast", "SCENARIO", "",
       with(broker_flags(), {{"publish-every", "S", "seconds between state messages (default: 1)"},
                             {"forecast-every", "S", "seconds between forecasts (default: 5)"},
                             {"lookahead", "T", "the forecasts' horizon (default: the scenario's horizon)"},
                             {"reps", "N", "replications of each forecast (default: 20)"},
                             {"seed", "S", "the forecasts' seed"},
                             set_flag(),
                             json_flag()}),
       cmd_twin},
      {"replay", "publish a trace (run --trace) as a plant would", "TRACE", "",
       with(broker_flags(), {{"speed", "X", "times real time, or max (default: 1)"}}), cmd_replay},
      {"calibrate", "fit each station's times from a trace; write the calibrated scenario", "TRACE", "",
       {{"scenario", "FILE", "the scenario to calibrate (required)"},
        {"out", "FILE", "writes the calibrated scenario there"},
        set_flag(),
        json_flag()},
       cmd_calibrate},
  };
}

}  // namespace

const std::vector<VerbDef>& verb_table() {
  static const std::vector<VerbDef> table = make_table();
  return table;
}

const VerbDef* find_verb(const std::vector<VerbDef>& verbs, const std::string& name) {
  for (const auto& v : verbs)
    if (v.name == name) return &v;
  return nullptr;
}

}  // namespace linetwin::cli
