// What a line definition allows but a planner would not want: stations no route visits, products
// no source makes, and routes that cross through finite buffers so that the line can lock for good.
// Warnings, not errors: the line still runs. Standard library only.
#pragma once
#include <string>
#include <vector>

#include "sim/line_def.hpp"

namespace linetwin::sim {

/// The warnings about `line`, one sentence each, in a stable order.
std::vector<std::string> line_warnings(const LineDef& line);

}  // namespace linetwin::sim
