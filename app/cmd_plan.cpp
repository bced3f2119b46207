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
namespace {

// The plan executed over the scenario's replications: what `schedule` reports as "simulated".
struct Executed {
  size_t replications = 0;
  size_t complete = 0;  // replications that finished every job (a deadlocked one has no makespan)
  sim::Summary makespan, weighted_tardiness;
  std::vector<std::vector<double>> completion;  // per order, one entry per complete replication
  std::vector<size_t> on_time;                  // per order, complete replications that met its due time
};

// The plan on the line: the scenario's random times and breakdowns, its replications.
Executed execute_plan(const scenarios::Scenario& sc, const optimize::LinePlan& plan) {
  const sim::PlanDef def = optimize::plan_for_sim(sc.line, plan);
  const auto reps = sim::run_plan_experiment(sc.line, sc.run, def);
  const size_t n_orders = sc.orders.size();
  Executed ex;
  ex.replications = reps.size();
  ex.completion.resize(n_orders);
  ex.on_time.assign(n_orders, 0);
  std::vector<double> makespans, tardiness;
  for (const auto& rep : reps) {
    if (!rep.complete) continue;
    ++ex.complete;
    std::vector<double> oc;
    double mk = 0, wt = 0;
    optimize::plan_objectives(sc.orders, plan.jobs, rep.job_end, oc, mk, wt);
    makespans.push_back(mk);
    tardiness.push_back(wt);
    for (size_t o = 0; o < n_orders; ++o) {
      ex.completion[o].push_back(oc[o]);
      ex.on_time[o] += oc[o] <= sc.orders[o].due;
    }
  }
  ex.makespan = sim::summarize(makespans);
  ex.weighted_tardiness = sim::summarize(tardiness);
  return ex;
}

// What `schedule SCENARIO` reports, planned and simulated, for the JSON and the text.
struct PlanReport {
  const scenarios::Scenario& sc;
  const optimize::LinePlan& plan;
  const Executed& ex;
  const char* objective;
  double plan_s;
  std::string unit;
  double gap;
};

Json planned_json(const PlanReport& r) {
  Json planned;
  planned["makespan"] = r.plan.makespan;
  planned["lower_bound"] = r.plan.lower_bound;
  planned["gap"] = r.gap;
  planned["weighted_tardiness"] = r.plan.weighted_tardiness;
  Json& orders = planned["orders"] = Json::array();
  for (size_t i = 0; i < r.sc.orders.size(); ++i) {
    const auto& ord = r.sc.orders[i];
    Json& po = orders.emplace_back();
    po["name"] = ord.name;
    po["completion"] = r.plan.order_completion[i];
    po["due"] = ord.due;
    po["tardiness"] = ord.due == sim::kInf ? 0.0 : std::max(0.0, r.plan.order_completion[i] - ord.due);
  }
  return planned;
}

Json simulated_json(const PlanReport& r) {
  Json simulated;
  simulated["replications"] = r.ex.replications;
  simulated["complete"] = r.ex.complete;
  simulated["makespan"] = summary_json(r.ex.makespan);
  simulated["weighted_tardiness"] = summary_json(r.ex.weighted_tardiness);
  Json& orders = simulated["orders"] = Json::array();
  for (size_t i = 0; i < r.sc.orders.size(); ++i) {
    Json& so = orders.emplace_back();
    so["name"] = r.sc.orders[i].name;
    so["completion"] = summary_json(sim::summarize(r.ex.completion[i]));
    so["on_time"] = r.ex.complete ? double(r.ex.on_time[i]) / double(r.ex.complete) : NAN;
  }
  return simulated;
}

// Each job's operations with the station's name and the machine's number within its station.
Json schedule_json(const scenarios::Scenario& sc, const optimize::LinePlan& plan) {
  Json schedule = Json::array();
  for (const auto& job : plan.jobs) {
    Json& jo = schedule.emplace_back();
    jo["order"] = sc.orders[job.order].name;
    Json& ops = jo["operations"] = Json::array();
    for (const auto& op : job.ops) {
      uint32_t first = 0;  // the station's first machine in the line's numbering
      for (uint32_t s = 0; s < op.station; ++s) first += sc.line.stations[s].machines;
      Json& oo = ops.emplace_back();
      oo["station"] = sc.line.stations[op.station].name;
      oo["machine"] = op.machine - first;
      oo["start"] = op.start;
      oo["end"] = op.end;
      if (sc.line.has_setups()) oo["setup"] = op.setup;  // the changeover that ends at its start
    }
  }
  return schedule;
}

Json plan_json(const PlanReport& r) {
  Json o;
  o["scenario"] = r.sc.line.name;
  o["time_unit"] = r.unit;
  o["objective"] = r.objective;
  o["orders"] = r.sc.orders.size();
  o["jobs"] = r.plan.jobs.size();
  o["iterations"] = r.plan.iterations;
  o["threads"] = r.plan.threads;
  o["time_s"] = r.plan_s;
  o["planned"] = planned_json(r);
  o["simulated"] = simulated_json(r);
  o["schedule"] = schedule_json(r.sc, r.plan);
  return o;
}

std::string with_interval(const sim::Summary& s) {
  return std::isfinite(s.half_width) ? fmt(s.mean, 5) + " ± " + fmt(s.half_width, 3) : fmt(s.mean, 5);
}

void print_plan_header(const PlanReport& r) {
  const auto& line = r.sc.line;
  uint32_t machines = 0;
  for (const auto& s : line.stations) machines += s.machines;
  fmt::print("{}: {} orders, {} jobs on {} stations ({} machines); objective {}\n", line.name, r.sc.orders.size(),
             r.plan.jobs.size(), line.stations.size(), machines, r.objective);
  fmt::print("planned with the mean process times: makespan {} {} (lower bound {} {}, gap {:.2f}%), weighted tardiness {}\n",
             fmt(r.plan.makespan, 6), r.unit, fmt(r.plan.lower_bound, 6), r.unit, 100 * r.gap,
             fmt(r.plan.weighted_tardiness, 6));
  fmt::print("{} iterations on {} thread{} in {:.2f} s\n\n", r.plan.iterations, r.plan.threads,
             r.plan.threads == 1 ? "" : "s", r.plan_s);
}

void print_plan_text(const PlanReport& r) {
  print_plan_header(r);
  fmt::print("executed on the line, {} replications (random process times and breakdowns), 95% intervals:\n",
             r.ex.replications);
  using Align = TextTable::Align;
  TextTable figures({{"", Align::kLeft}, {"simulated", Align::kLeft}, {"planned", Align::kLeft}}, "  ");
  figures.add({"makespan (" + r.unit + ")", with_interval(r.ex.makespan), fmt(r.plan.makespan, 6)});
  figures.add({"weighted tardiness", with_interval(r.ex.weighted_tardiness), fmt(r.plan.weighted_tardiness, 6)});
  fmt::print("{}\n", figures.str());
  // Times in the scenario's unit, named in the headings.
  const std::string in_unit = " (" + r.unit + ")";
  TextTable table({{"order", Align::kLeft}, {"product", Align::kLeft}, {"units"}, {"release" + in_unit}, {"due" + in_unit},
                   {"planned end" + in_unit}, {"simulated end" + in_unit}, {"on time"}});
  for (size_t i = 0; i < r.sc.orders.size(); ++i) {
    const auto& ord = r.sc.orders[i];
    table.add({ord.name, r.sc.line.products[sim::idx(ord.product)].name, std::to_string(ord.quantity), fmt(ord.release, 6),
               ord.due == sim::kInf ? "-" : fmt(ord.due, 6), fmt(r.plan.order_completion[i], 6),
               with_interval(sim::summarize(r.ex.completion[i])),
               r.ex.complete ? fmt::format("{:.0f}%", 100.0 * double(r.ex.on_time[i]) / double(r.ex.complete)) : "-"});
  }
  fmt::print("{}", table.str());
  if (r.ex.complete < r.ex.replications)
    fmt::print("\n{} of {} replications deadlocked: the plan ignores buffer and transport capacities, and a machine "
               "waiting for its next planned job held up the line.\n", r.ex.replications - r.ex.complete, r.ex.replications);
}

}  // namespace

int schedule_scenario(const Args& args, const optimize::PlanOptions& options) {
  const std::string path = args.positional[0];
  auto sc = load_for_run(args, path);
  if (!sc) return fail(sc.error());
  if (sc->orders.empty())
    return fail(Error::at_key(path, "orders", "the scenario has no orders to plan; add a list orders: with name, product, quantity, "
                      "release, due and weight (see the README)"));
  // A plan fixes each machine's sequence of jobs; an item scrapped or sent back would leave a hole
  // in it or come again where its turn has passed, and the planner does not model either.
  for (const auto& st : sc->line.stations)
    if (st.has_quality())
      return fail(Error::at_key(path, "stations." + st.name + (st.scrap > 0 ? ".scrap" : ".rework"),
                                "orders cannot be planned on a line that scraps or reworks items yet; plan them on a "
                                "copy of the line without scrap and rework (e.g. --set stations." + st.name +
                                    (st.scrap > 0 ? ".scrap=0" : ".rework.fraction=0") + ")"));
  // Nor assembly: a plan's jobs are items released into the line, and an assembly makes its own.
  for (const auto& p : sc->line.products)
    if (p.assembled())
      return fail(Error::at_key(path, "products." + p.name + ".bom",
                                "orders cannot be planned on a line that assembles yet; plan them on a copy of the "
                                "line without the bill of materials of product '" + p.name + "'"));
  // Nor maintenance: a plan would not leave the machines their time for it.
  for (const auto& st : sc->line.stations)
    if (st.has_maintenance())
      return fail(Error::at_key(path, "stations." + st.name + ".maintenance",
                                "orders cannot be planned on a line with preventive maintenance yet; plan them on a "
                                "copy of the line without maintenance at station '" + st.name + "'"));
  // Nor batches: its operations take one job each.
  for (const auto& st : sc->line.stations)
    if (st.has_batch())
      return fail(Error::at_key(path, "stations." + st.name + ".batch",
                                "orders cannot be planned on a line with batch stations yet; plan them on a copy of "
                                "the line without the batch of station '" + st.name + "'"));
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

  const Executed ex = execute_plan(*sc, *plan);
  const PlanReport report{*sc, *plan, ex,
                          options.objective == optimize::PlanObjective::kMakespan ? "makespan" : "tardiness", plan_s,
                          unit_name(sc->line.time_unit),
                          plan->lower_bound > 0 ? (plan->makespan - plan->lower_bound) / plan->lower_bound : 0.0};
  if (args.has("json")) {
    std::cout << json_text(plan_json(report));
    return 0;
  }
  print_plan_text(report);
  if (gantt) fmt::print("\nWrote the plan's Gantt chart to {}\n", *gantt);
  return 0;
}

}  // namespace linetwin::cli
