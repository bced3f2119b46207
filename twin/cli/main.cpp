// linetwin: the command-line program. Dispatches the verbs; each verb lives in its own file.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "twin/cli/commands.hpp"

namespace {

const char* kUsage =
    "linetwin: a digital twin of production lines\n"
    "\n"
    "usage: linetwin COMMAND [ARGS]\n"
    "\n"
    "  run SCENARIO       simulate a line: KPIs with 95% intervals over replications\n"
    "                     [--reps N] [--horizon T] [--warmup T] [--seed S] [--threads N]\n"
    "                     [--set PATH=VALUE]... [--json] [--out DIR]\n"
    "  compare A [B]      compare two scenarios (or A and A with --set changes) with common\n"
    "                     random numbers and paired intervals; the same flags as run\n"
    "  validate SCENARIO  check a scenario file [--set PATH=VALUE]...\n"
    "  schedule INSTANCE  plan a job shop (OR-Library file): makespan, lower bound, schedule\n"
    "                     [--time-limit S] [--iterations N] [--seed S] [--threads N]\n"
    "                     [--method tabu|tabu-n5|anneal|genetic|ants|dispatch|spt|lpt|\n"
    "                      mwkr|lwkr|mopnr|fifo|random]\n"
    "                     [--json] [--gantt FILE.svg]\n"
    "  schedule SCENARIO  plan a scenario's orders on its line, then execute the plan in the\n"
    "                     simulator: planned against simulated makespan and tardiness\n"
    "                     [--objective makespan|tardiness] [--time-limit S] [--iterations N]\n"
    "                     [--seed S] [--threads N] [--reps N] [--set PATH=VALUE]... [--json]\n"
    "                     [--gantt FILE.svg]\n"
    "  view SCENARIO      the 3D viewer: watch the line run, inspect stations, try changes\n"
    "                     [--screenshot FILE.png [--frames N]] [--time T] [--speed X]\n"
    "                     [--select STATION] [--size WxH] and the flags of run\n"
    "  sweep SCENARIO     simulate a design over the scenario's factors, one CSV row per point\n"
    "                     --samples N [--design lhs|grid|random] [--out FILE.csv]\n"
    "                     and the flags of run\n"
    "  surrogate train SCENARIO --samples N --out MODEL [--design D] [--data FILE.csv]\n"
    "                     train a neural model of the KPIs on simulated points [--json]\n"
    "  surrogate predict MODEL [--set PATH=VALUE]... [--extrapolate] [--json]\n"
    "                     predict the KPIs at a setting of the factors in milliseconds\n"
    "  surrogate eval MODEL --data FILE.csv [--json]\n"
    "                     score a model (R^2, MAPE per KPI) on simulated points\n"
    "  optimize SCENARIO  search the factors for the best objective, confirmed by simulation\n"
    "                     [--budget N] [--method grid|random|anneal|ga|gradient]\n"
    "                     [--surrogate MODEL] [--json] and the flags of run\n"
    "  twin SCENARIO      the live twin: mirror a line from MQTT station events, publish its\n"
    "                     state, look-ahead forecasts and deviations from the model\n"
    "                     --broker HOST:PORT [--prefix P] [--publish-every S]\n"
    "                     [--forecast-every S] [--lookahead T] [--reps N] [--seed S]\n"
    "                     [--client-id ID] [--connect-timeout S] [--set PATH=VALUE]... [--json]\n"
    "  replay TRACE       publish a trace (run --trace) as a plant would\n"
    "                     --broker HOST:PORT [--prefix P] [--speed X|max] [--client-id ID]\n"
    "                     [--connect-timeout S]\n"
    "  calibrate TRACE    fit each station's times from a trace; write the calibrated scenario\n"
    "                     --scenario S [--out S2] [--set PATH=VALUE]... [--json]\n"
    "  help               this text\n"
    "\n"
    "Exit status: 0 success, 2 bad input (scenario, flag), 1 anything else.\n";

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 2) {
      std::fputs(kUsage, stderr);
      return 2;
    }
    const std::string verb = argv[1];
    if (verb == "run") return linetwin::cli::cmd_run(argc, argv);
    if (verb == "compare") return linetwin::cli::cmd_compare(argc, argv);
    if (verb == "validate") return linetwin::cli::cmd_validate(argc, argv);
    if (verb == "schedule") return linetwin::cli::cmd_schedule(argc, argv);
    if (verb == "view") return linetwin::cli::cmd_view(argc, argv);
    if (verb == "sweep") return linetwin::cli::cmd_sweep(argc, argv);
    if (verb == "surrogate") return linetwin::cli::cmd_surrogate(argc, argv);
    if (verb == "optimize") return linetwin::cli::cmd_optimize(argc, argv);
    if (verb == "twin") return linetwin::cli::cmd_twin(argc, argv);
    if (verb == "replay") return linetwin::cli::cmd_replay(argc, argv);
    if (verb == "calibrate") return linetwin::cli::cmd_calibrate(argc, argv);
    if (verb == "help" || verb == "--help" || verb == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    std::fprintf(stderr, "error: linetwin: unknown command '%s'; commands are run, compare, validate, schedule, view, sweep, surrogate, optimize, twin, replay, calibrate, help\n",
                 verb.c_str());
    return 2;
  } catch (const std::bad_alloc&) {
    std::fputs("error: out of memory\n", stderr);
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
