#include "app/schedule_charts.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "optimize/solve.hpp"
#include "sim/calendar.hpp"

namespace linetwin::cli {

charts::GanttChart jobshop_chart(const optimize::JobShop& shop, const optimize::Schedule& s, int64_t lower_bound) {
  charts::GanttChart c;
  const double gap = lower_bound > 0 ? 100.0 * double(s.makespan - lower_bound) / double(lower_bound) : 0.0;
  c.title = fmt::format("{}: {} jobs on {} machines, makespan {} (lower bound {}, gap {:.2f}%)", shop.name,
                        shop.jobs.size(), shop.machines, s.makespan, lower_bound, gap);
  for (int m = 0; m < shop.machines; ++m) c.rows.push_back(fmt::format("machine {}", m));
  const optimize::OpIndex ix(shop);
  const auto critical = optimize::critical_operations(shop, s);
  const size_t jobs = std::max<size_t>(shop.jobs.size(), 1);
  for (int op = 0; op < ix.size(); ++op) {
    const int j = ix.job[op], k = ix.step[op];
    const double start = double(s.start[j][k]);
    c.bars.push_back({static_cast<size_t>(ix.machine[op]), start, start + double(ix.duration[op]),
                      {360.0 * double(j) / double(jobs), 65, j % 2 ? 62 : 74}, critical[op], std::to_string(j),
                      fmt::format("job {}, operation {}: start {}, duration {}{}", j, k, s.start[j][k], ix.duration[op],
                                  critical[op] ? ", critical" : "")});
  }
  c.end = double(s.makespan);
  c.end_label = fmt::format("makespan {}", s.makespan);
  c.note = "Black outlines: the critical path. Numbers: jobs.";
  return c;
}

charts::GanttChart plan_chart(const sim::LineDef& line, const std::vector<sim::OrderDef>& orders,
                              const optimize::LinePlan& plan) {
  charts::GanttChart c;
  c.layout = {130, 26, 1000};
  c.title = fmt::format("{}: {} orders, {} jobs; makespan {:.6g} {} (bound {:.6g}), weighted tardiness {:.6g}", line.name,
                        orders.size(), plan.jobs.size(), plan.makespan, unit_name(line.time_unit), plan.lower_bound,
                        plan.weighted_tardiness);
  for (const auto& s : line.stations)
    for (uint32_t i = 0; i < s.machines; ++i) c.rows.push_back(s.machines > 1 ? fmt::format("{} {}", s.name, i + 1) : s.name);
  const double n_orders = double(std::max<size_t>(orders.size(), 1));
  auto hue = [&](size_t order) { return 360.0 * double(order) / n_orders; };
  std::vector<sim::Calendar> calendars;
  for (const auto& cd : line.calendars) calendars.emplace_back(cd);
  for (size_t j = 0; j < plan.jobs.size(); ++j) {
    const auto& job = plan.jobs[j];
    for (size_t k = 0; k < job.ops.size(); ++k) {
      const auto& op = job.ops[k];
      if (op.setup > 0) {  // the changeover before it, in grey, from where its working time began
        const uint32_t cal = line.calendar_of(line.stations[op.station]);
        const double from = cal == sim::kNoCalendar ? op.start - op.setup
                                                    : calendars[cal].when(calendars[cal].working(op.start) - op.setup);
        c.bars.push_back({op.machine, from, op.start, {0, 0, 72}, false, "",
                          fmt::format("changeover for order {}, job {}: {:.6g} to {:.6g}", orders[job.order].name, j,
                                      from, op.start)});
      }
      c.bars.push_back({op.machine, op.start, op.end, {hue(job.order), 65, j % 2 ? 60 : 72}, false, "",
                        fmt::format("order {}, job {}, step {}: {:.6g} to {:.6g}", orders[job.order].name, j, k, op.start,
                                    op.end)});
    }
  }
  c.end = plan.makespan;
  for (size_t i = 0; i < orders.size(); ++i) {
    const bool due = orders[i].due != sim::kInf;
    c.legend.push_back({{hue(i), 65, 66}, due ? fmt::format("{}, due {:.6g}", orders[i].name, orders[i].due) : orders[i].name});
    if (due && orders[i].due <= plan.makespan * 1.05)
      c.marks.push_back({orders[i].due, {hue(i), 65, 40}, "due: " + orders[i].name});
  }
  return c;
}

}  // namespace linetwin::cli
