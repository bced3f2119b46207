// The Gantt charts of `linetwin schedule`: a job-shop schedule or a plan of orders on the line,
// turned into the rows and bars of a charts::GanttChart (charts/gantt.hpp draws it).
#pragma once
#include <cstdint>
#include <vector>

#include "charts/gantt.hpp"
#include "optimize/jobshop.hpp"
#include "optimize/line_plan.hpp"

namespace linetwin::cli {

/// Machines as rows, jobs in distinct colours and numbered, the critical path outlined, the
/// makespan marked.
charts::GanttChart jobshop_chart(const optimize::JobShop& shop, const optimize::Schedule& s, int64_t lower_bound);

/// Machines as rows, orders in distinct colours with a legend, their due dates dashed.
charts::GanttChart plan_chart(const sim::LineDef& line, const std::vector<sim::OrderDef>& orders,
                              const optimize::LinePlan& plan);

}  // namespace linetwin::cli
