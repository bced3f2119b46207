// `linetwin schedule SCENARIO`: the scenario's orders planned onto its stations, then the plan
// executed by the simulator over replications: planned against simulated makespan and tardiness.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "optimize/line_plan.hpp"
#include "sim/experiment.hpp"
#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/schedule_charts.hpp"
#include "app/text_table.hpp"
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
    if (auto ok = write_file_whole(*gantt, charts::gantt_svg(plan_chart(sc->line, sc->orders, *plan))); !ok)
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
    Json o;
    o["scenario"] = sc->line.name;
    o["time_unit"] = unit;
    o["objective"] = objective;
    o["orders"] = n_orders;
    o["jobs"] = plan->jobs.size();
    o["iterations"] = plan->iterations;
    o["threads"] = plan->threads;
    o["time_s"] = plan_s;
    Json& planned = o["planned"];
    planned["makespan"] = plan->makespan;
    planned["lower_bound"] = plan->lower_bound;
    planned["gap"] = gap;
    planned["weighted_tardiness"] = plan->weighted_tardiness;
    Json& planned_orders = planned["orders"] = Json::array();
    for (size_t i = 0; i < n_orders; ++i) {
      const auto& ord = sc->orders[i];
      Json& po = planned_orders.emplace_back();
      po["name"] = ord.name;
      po["completion"] = plan->order_completion[i];
      po["due"] = ord.due;
      po["tardiness"] = ord.due == sim::kInf ? 0.0 : std::max(0.0, plan->order_completion[i] - ord.due);
    }
    Json& simulated = o["simulated"];
    simulated["replications"] = reps.size();
    simulated["complete"] = complete;
    simulated["makespan"] = summary_json(mk);
    simulated["weighted_tardiness"] = summary_json(wt);
    Json& simulated_orders = simulated["orders"] = Json::array();
    for (size_t i = 0; i < n_orders; ++i) {
      Json& so = simulated_orders.emplace_back();
      so["name"] = sc->orders[i].name;
      so["completion"] = summary_json(sim::summarize(completion[i]));
      so["on_time"] = complete ? double(on_time[i]) / double(complete) : NAN;
    }
    Json& schedule = o["schedule"] = Json::array();
    for (const auto& job : plan->jobs) {
      Json& jo = schedule.emplace_back();
      jo["order"] = sc->orders[job.order].name;
      Json& ops = jo["operations"] = Json::array();
      for (const auto& op : job.ops) {
        uint32_t first = 0;  // the station's first machine in the line's numbering
        for (uint32_t s = 0; s < op.station; ++s) first += sc->line.stations[s].machines;
        Json& oo = ops.emplace_back();
        oo["station"] = sc->line.stations[op.station].name;
        oo["machine"] = op.machine - first;
        oo["start"] = op.start;
        oo["end"] = op.end;
      }
    }
    std::cout << json_text(o);
    return 0;
  }

  uint32_t machines = 0;
  for (const auto& s : sc->line.stations) machines += s.machines;
  fmt::print("{}: {} orders, {} jobs on {} stations ({} machines); objective {}\n", sc->line.name, n_orders, plan->jobs.size(),
             sc->line.stations.size(), machines, objective);
  fmt::print("planned with the mean process times: makespan {} {} (lower bound {} {}, gap {:.2f}%), weighted tardiness {}\n",
             fmt(plan->makespan, 6), unit, fmt(plan->lower_bound, 6), unit, 100 * gap, fmt(plan->weighted_tardiness, 6));
  fmt::print("{} iterations on {} thread{} in {:.2f} s\n\n", plan->iterations, plan->threads, plan->threads == 1 ? "" : "s",
             plan_s);
  fmt::print("executed on the line, {} replications (random process times and breakdowns), 95% intervals:\n", reps.size());
  auto ci = [](const sim::Summary& s) {
    return std::isfinite(s.half_width) ? fmt(s.mean, 5) + " ± " + fmt(s.half_width, 3) : fmt(s.mean, 5);
  };
  using Align = TextTable::Align;
  TextTable figures({{"", Align::kLeft}, {"simulated", Align::kLeft}, {"planned", Align::kLeft}}, "  ");
  figures.add({"makespan (" + unit + ")", ci(mk), fmt(plan->makespan, 6)});
  figures.add({"weighted tardiness", ci(wt), fmt(plan->weighted_tardiness, 6)});
  fmt::print("{}\n", figures.str());
  // Times in the scenario's unit, named in the headings.
  const std::string in_unit = " (" + unit + ")";
  TextTable table({{"order", Align::kLeft}, {"product", Align::kLeft}, {"units"}, {"release" + in_unit}, {"due" + in_unit},
                   {"planned end" + in_unit}, {"simulated end" + in_unit}, {"on time"}});
  for (size_t i = 0; i < n_orders; ++i) {
    const auto& ord = sc->orders[i];
    table.add({ord.name, sc->line.products[sim::idx(ord.product)].name, std::to_string(ord.quantity), fmt(ord.release, 6),
               ord.due == sim::kInf ? "-" : fmt(ord.due, 6), fmt(plan->order_completion[i], 6),
               ci(sim::summarize(completion[i])),
               complete ? fmt::format("{:.0f}%", 100.0 * double(on_time[i]) / double(complete)) : "-"});
  }
  fmt::print("{}", table.str());
  if (complete < reps.size())
    fmt::print("\n{} of {} replications deadlocked: the plan ignores buffer and transport capacities, and a machine "
               "waiting for its next planned job held up the line.\n", reps.size() - complete, reps.size());
  if (gantt) fmt::print("\nWrote the plan's Gantt chart to {}\n", *gantt);
  return 0;
}

}  // namespace linetwin::cli
