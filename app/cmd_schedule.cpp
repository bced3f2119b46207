// `linetwin schedule INSTANCE`: a job-shop schedule by dispatch rules or tabu search; with a
// scenario instead (SCENARIO.yaml), its orders planned on the line (cmd_plan.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "optimize/line_plan.hpp"
#include "optimize/solve.hpp"
#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/schedule_charts.hpp"
#include "app/text_table.hpp"
#include "app/report.hpp"
#include "core/files.hpp"

namespace linetwin::cli {

int schedule_scenario(const Args& args, const optimize::PlanOptions& options);  // cmd_plan.cpp

namespace {

bool is_scenario_file(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  return ext == ".yaml" || ext == ".yml";
}

// The schedule as a planner reads it: one row per job, its operations in route order, each as
// machine, start and duration.
std::string schedule_table(const optimize::JobShop& shop, const optimize::Schedule& s) {
  size_t steps = 0;
  for (const auto& job : shop.jobs) steps = std::max(steps, job.size());
  std::vector<TextTable::Column> columns = {{"job"}};
  for (size_t k = 0; k < steps; ++k) columns.push_back({fmt::format("op {}", k + 1), TextTable::Align::kLeft});
  TextTable table(std::move(columns));
  for (size_t j = 0; j < shop.jobs.size(); ++j) {
    std::vector<std::string> row = {std::to_string(j)};
    for (size_t k = 0; k < shop.jobs[j].size(); ++k)
      row.push_back(fmt::format("m{} {}+{}", shop.jobs[j][k].machine, s.start[j][k], shop.jobs[j][k].duration));
    table.add(std::move(row));
  }
  return "schedule: per job its operations in route order, each as machine start+duration\n" + table.str();
}

// The options a job-shop instance and a scenario's orders share: time limit, seed, threads,
// iterations (and the method, for an instance).
Result<optimize::SolveOptions> solve_options(const Args& args) {
  optimize::SolveOptions opt;
  if (auto v = args.value("time-limit")) {
    char* end = nullptr;
    opt.time_limit_s = std::strtod(v->c_str(), &end);
    if (end != v->c_str() + v->size() || !(opt.time_limit_s > 0) || opt.time_limit_s > 1e6)
      return Error::in("linetwin schedule", "option '--time-limit' expects seconds above 0, got '" + *v + "'");
  }
  auto seed = uint_flag(args, "seed", 0, UINT64_MAX, 1);
  if (!seed) return seed.error();
  opt.seed = *seed;
  auto threads = uint_flag(args, "threads", 1, 1024, 0);
  if (!threads) return threads.error();
  opt.threads = static_cast<uint32_t>(*threads);
  auto iterations = uint_flag(args, "iterations", 1, INT64_MAX, 0);
  if (!iterations) return iterations.error();
  opt.iterations = static_cast<int64_t>(*iterations);
  if (auto m = args.value("method")) opt.method = *m;
  return opt;
}

// A scenario's orders: the shared options, and the objective.
int schedule_orders(const Args& args, const optimize::SolveOptions& opt) {
  optimize::PlanOptions po;
  po.time_limit_s = opt.time_limit_s;
  po.seed = opt.seed;
  po.threads = opt.threads;
  po.iterations = opt.iterations;
  const std::string objective = args.value("objective").value_or("makespan");
  if (objective == "tardiness" || objective == "weighted-tardiness") po.objective = optimize::PlanObjective::kWeightedTardiness;
  else if (objective != "makespan")
    return fail(Error::in("linetwin schedule", "option '--objective' expects makespan or tardiness, got '" + objective + "'"));
  return schedule_scenario(args, po);
}

Json instance_json(const optimize::JobShop& shop, const optimize::SolveResult& r, const std::string& method, double gap) {
  const auto& s = r.schedule;
  Json o;
  o["instance"] = shop.name;
  o["jobs"] = shop.jobs.size();
  o["machines"] = shop.machines;
  o["makespan"] = s.makespan;
  o["lower_bound"] = r.lower_bound;
  o["gap"] = gap;
  o["method"] = method;
  o["threads"] = r.threads;
  o["iterations"] = r.iterations;
  o["time_s"] = r.time_s;
  Json& schedule = o["schedule"] = Json::array();
  for (size_t j = 0; j < shop.jobs.size(); ++j) {
    Json& ops = schedule.emplace_back(Json::array());
    for (size_t k = 0; k < shop.jobs[j].size(); ++k)
      ops.push_back({{"machine", shop.jobs[j][k].machine}, {"start", s.start[j][k]}, {"duration", shop.jobs[j][k].duration}});
  }
  return o;
}

// A job-shop instance: the search, its Gantt chart, the schedule as JSON or as a table.
int schedule_instance(const Args& args, const optimize::SolveOptions& opt) {
  auto shop = optimize::load_jobshop(args.positional[0]);
  if (!shop) return fail(shop.error());
  const auto gantt = args.value("gantt");
  if (gantt)  // before the search: a chart that cannot be written fails now, not after it
    if (auto ok = check_writable_file(*gantt); !ok) return fail(ok.error());
  auto r = optimize::solve(*shop, opt);
  if (!r) {
    if (r.error().file == "--method") return fail(Error::in("linetwin schedule", r.error().what));
    std::fprintf(stderr, "error: %s\n", r.error().what.c_str());
    return 1;
  }
  const auto& s = r->schedule;
  const double gap = r->lower_bound > 0 ? double(s.makespan - r->lower_bound) / double(r->lower_bound) : 0.0;
  if (gantt)
    if (auto ok = write_file_whole(*gantt, charts::gantt_svg(jobshop_chart(*shop, s, r->lower_bound))); !ok) return fail(ok.error());
  if (args.has("json")) {
    std::cout << json_text(instance_json(*shop, *r, opt.method, gap));
    return 0;
  }
  fmt::print("{}: {} jobs on {} machines\nmakespan {}, lower bound {} (gap {:.2f}%)\n"
             "method {}, {} thread{}, {} iterations in {:.2f} s\n\n{}",
             shop->name, shop->jobs.size(), shop->machines, s.makespan, r->lower_bound, 100 * gap, opt.method, r->threads,
             r->threads == 1 ? "" : "s", r->iterations, r->time_s, schedule_table(*shop, s));
  if (gantt) fmt::print("\nWrote the Gantt chart to {}\n", *gantt);
  return 0;
}

}  // namespace

int cmd_schedule(const Args& args) {
  if (args.positional.size() != 1)
    return fail(Error::in("linetwin schedule", "expects one job-shop instance file (OR-Library format) or one scenario (.yaml) with orders"));
  const bool scenario = is_scenario_file(args.positional[0]);
  for (const char* only : {"reps", "horizon", "warmup", "set", "objective"})
    if (!scenario && args.has(only))
      return fail(Error::in("linetwin schedule", std::string("option '--") + only +
                                                           "' applies to a scenario's orders (a .yaml file), not to a job-shop instance"));
  if (scenario && args.has("method"))
    return fail(Error::in("linetwin schedule", "option '--method' applies to job-shop instances; a scenario's orders are planned by simulated annealing"));
  auto opt = solve_options(args);
  if (!opt) return fail(opt.error());
  return scenario ? schedule_orders(args, *opt) : schedule_instance(args, *opt);
}

}  // namespace linetwin::cli
