// `linetwin schedule SCENARIO`: the scenario's orders planned onto its stations, then the plan
// executed by the simulator over replications: planned against simulated makespan and tardiness.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "optimize/line_plan.hpp"
#include "sim/experiment.hpp"
#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/json.hpp"
#include "core/files.hpp"
#include "app/report.hpp"

namespace linetwin::cli {

int schedule_scenario(const Args& args, const optimize::PlanOptions& options) {
  const std::string path = args.positional[0];
  auto sc = load_for_run(args, path);
  if (!sc) return fail(sc.error());
  if (sc->orders.empty())
    return fail(Error::at_key(path, "orders", "the scenario has no orders to plan; add a list orders: with name, product, quantity, "
                      "release, due and weight (see the README)"));
  const auto gantt = args.value("gantt");
  if (gantt)  // before planning: a chart that cannot be written fails now, not after it
    if (auto ok = check_writable_file(*gantt); !ok) return fail(ok.error());
  const auto t0 = std::chrono::steady_clock::now();
  auto plan = optimize::plan_orders(sc->line, sc->orders, options);
  if (!plan) {
    std::fprintf(stderr, "error: %s\n", plan.error().what.c_str());
    return 1;
  }
  const double plan_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (gantt)
    if (auto ok = write_file_whole(*gantt, optimize::plan_gantt_svg(sc->line, sc->orders, *plan)); !ok)
      return fail(ok.error());

  // The plan on the line: the scenario's random times and breakdowns, its replications.
  const sim::PlanDef def = optimize::plan_for_sim(sc->line, *plan);
  const auto reps = sim::run_plan_experiment(sc->line, sc->run, def);
  const size_t n_orders = sc->orders.size();
  std::vector<double> makespans, tardiness;
  std::vector<std::vector<double>> completion(n_orders);
  std::vector<size_t> on_time(n_orders, 0);
  size_t complete = 0;
  for (const auto& rep : reps) {
    if (!rep.complete) continue;  // a deadlocked replication has no makespan
    ++complete;
    std::vector<double> oc;
    double mk = 0, wt = 0;
    optimize::plan_objectives(sc->orders, plan->jobs, rep.job_end, oc, mk, wt);
    makespans.push_back(mk);
    tardiness.push_back(wt);
    for (size_t o = 0; o < n_orders; ++o) {
      completion[o].push_back(oc[o]);
      on_time[o] += oc[o] <= sc->orders[o].due;
    }
  }
  const sim::Summary mk = sim::summarize(makespans), wt = sim::summarize(tardiness);
  const char* objective = options.objective == optimize::PlanObjective::kMakespan ? "makespan" : "tardiness";
  const std::string unit = unit_name(sc->line.time_unit);
  const double gap = plan->lower_bound > 0 ? (plan->makespan - plan->lower_bound) / plan->lower_bound : 0.0;

  if (args.has("json")) {
    std::ostringstream o;
    o << "{\n  \"scenario\": " << json_string(sc->line.name) << ", \"time_unit\": " << json_string(unit)
      << ", \"objective\": " << json_string(objective) << ", \"orders\": " << n_orders << ", \"jobs\": " << plan->jobs.size()
      << ",\n  \"iterations\": " << plan->iterations << ", \"threads\": " << plan->threads << ", \"time_s\": " << json_number(plan_s)
      << ",\n  \"planned\": {\"makespan\": " << json_number(plan->makespan) << ", \"lower_bound\": " << json_number(plan->lower_bound)
      << ", \"gap\": " << json_number(gap) << ", \"weighted_tardiness\": " << json_number(plan->weighted_tardiness) << ", \"orders\": [";
    for (size_t i = 0; i < n_orders; ++i) {
      const auto& ord = sc->orders[i];
      o << (i ? ", " : "") << "{\"name\": " << json_string(ord.name) << ", \"completion\": " << json_number(plan->order_completion[i])
        << ", \"due\": " << json_number(ord.due) << ", \"tardiness\": "
        << json_number(ord.due == sim::kInf ? 0.0 : std::max(0.0, plan->order_completion[i] - ord.due)) << "}";
    }
    o << "]},\n  \"simulated\": {\"replications\": " << reps.size() << ", \"complete\": " << complete
      << ", \"makespan\": " << summary_json(mk) << ", \"weighted_tardiness\": " << summary_json(wt) << ", \"orders\": [";
    for (size_t i = 0; i < n_orders; ++i)
      o << (i ? ", " : "") << "{\"name\": " << json_string(sc->orders[i].name) << ", \"completion\": " << summary_json(sim::summarize(completion[i]))
        << ", \"on_time\": " << json_number(complete ? double(on_time[i]) / double(complete) : NAN) << "}";
    o << "]},\n  \"schedule\": [";
    for (size_t j = 0; j < plan->jobs.size(); ++j) {
      const auto& job = plan->jobs[j];
      o << (j ? ",\n    " : "\n    ") << "{\"order\": " << json_string(sc->orders[job.order].name) << ", \"operations\": [";
      for (size_t k = 0; k < job.ops.size(); ++k) {
        const auto& op = job.ops[k];
        const auto& st = sc->line.stations[op.station];
        uint32_t first = 0;
        for (uint32_t s = 0; s < op.station; ++s) first += sc->line.stations[s].machines;
        o << (k ? ", " : "") << "{\"station\": " << json_string(st.name) << ", \"machine\": " << op.machine - first
          << ", \"start\": " << json_number(op.start) << ", \"end\": " << json_number(op.end) << "}";
      }
      o << "]}";
    }
    o << "\n  ]\n}\n";
    std::cout << o.str();
    return 0;
  }

  uint32_t machines = 0;
  for (const auto& s : sc->line.stations) machines += s.machines;
  std::printf("%s: %zu orders, %zu jobs on %zu stations (%u machines); objective %s\n", sc->line.name.c_str(), n_orders,
              plan->jobs.size(), sc->line.stations.size(), machines, objective);
  std::printf("planned with the mean process times: makespan %s %s (lower bound %s, gap %.2f%%), weighted tardiness %s\n",
              fmt(plan->makespan, 6).c_str(), unit.c_str(), fmt(plan->lower_bound, 6).c_str(), 100 * gap,
              fmt(plan->weighted_tardiness, 6).c_str());
  std::printf("%lld iterations on %u thread%s in %.2f s\n\n", static_cast<long long>(plan->iterations), plan->threads,
              plan->threads == 1 ? "" : "s", plan_s);
  std::printf("executed on the line, %zu replications (random process times and breakdowns), 95%% intervals:\n", reps.size());
  auto ci = [](const sim::Summary& s) {
    return std::isfinite(s.half_width) ? fmt(s.mean, 5) + " ± " + fmt(s.half_width, 3) : fmt(s.mean, 5);
  };
  std::printf("  makespan            %-20s planned %s\n", ci(mk).c_str(), fmt(plan->makespan, 6).c_str());
  std::printf("  weighted tardiness  %-20s planned %s\n\n", ci(wt).c_str(), fmt(plan->weighted_tardiness, 6).c_str());
  std::printf("%-14s %-10s %6s %10s %10s %12s %20s %8s\n", "order", "product", "units", "release", "due", "planned end",
              "simulated end", "on time");
  for (size_t i = 0; i < n_orders; ++i) {
    const auto& ord = sc->orders[i];
    std::printf("%-14s %-10s %6u %10s %10s %12s %20s %7.0f%%\n", ord.name.c_str(),
                sc->line.products[sim::idx(ord.product)].name.c_str(), ord.quantity, fmt(ord.release, 6).c_str(),
                ord.due == sim::kInf ? "-" : fmt(ord.due, 6).c_str(), fmt(plan->order_completion[i], 6).c_str(),
                ci(sim::summarize(completion[i])).c_str(), complete ? 100.0 * double(on_time[i]) / double(complete) : NAN);
  }
  if (complete < reps.size())
    std::printf("\n%zu of %zu replications deadlocked: the plan ignores buffer and transport capacities, and a machine "
                "waiting for its next planned job held up the line.\n", reps.size() - complete, reps.size());
  if (gantt) std::printf("\nWrote the plan's Gantt chart to %s\n", gantt->c_str());
  return 0;
}

}  // namespace linetwin::cli
