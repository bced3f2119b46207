// Private to scenarios/: the line sections of a scenario (stations, products, sources,
// transports) from the YAML tree into sim::LineDef, with every cross-reference checked; and the
// viewer's layout of them (layout_read.cpp).
#pragma once
#include "scenarios/reader.hpp"

namespace linetwin::scenarios::detail {

/// Fills line.products, sources, stations and transports from the top-level mapping `root`.
void read_line(const Reader& r, const Node& root, sim::LineDef& line);

/// Fills `layout` from the optional `layout:` of `root`, naming the stations and transports of `line`.
void read_layout(const Reader& r, const Node& root, const sim::LineDef& line, Layout& layout);
/// Fills `orders` from the optional `orders:` of `root`, naming the products of `line`.
void read_orders(const Reader& r, const Node& root, const sim::LineDef& line, std::vector<Order>& orders);

}  // namespace linetwin::scenarios::detail
