// Private to scenarios/: the line sections of a scenario (stations, products, sources,
// transports) from the YAML tree into sim::LineDef, with every cross-reference checked.
#pragma once
#include "scenarios/reader.hpp"

namespace linetwin::scenarios::detail {

/// Fills line.products, sources, stations and transports from the top-level mapping `root`.
void read_line(const Reader& r, const Node& root, sim::LineDef& line);

}  // namespace linetwin::scenarios::detail
