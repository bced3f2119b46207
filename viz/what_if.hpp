// What-if changes made in the viewer's window, on a copy of the scenario: a station's machines,
// buffer and mean process time, a source's rate; checked by reading the changed scenario back,
// and saved as a YAML file that `linetwin run` accepts. Plain C++, no graphics.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"
#include "core/result.hpp"

namespace linetwin::viz {

/// Scales every time of a distribution by `factor`: the mean scales with it, the shape stays.
void scale_dist(sim::Dist& d, double factor);
/// Sets station s's mean process time for product p to `mean` (> 0), scaling its distribution.
void set_process_mean(scenarios::Scenario& sc, uint32_t s, uint32_t p, double mean);
/// Sets source i's arrival rate (items per time unit, > 0), scaling its interarrival distribution.
void set_source_rate(scenarios::Scenario& sc, uint32_t i, double rate);
/// The products whose route visits station s.
std::vector<uint32_t> products_at(const scenarios::Scenario& sc, uint32_t s);
/// The changed scenario as `linetwin run` would read it from a file (its own file name kept), or
/// what is wrong with it.
Result<scenarios::Scenario> checked(const scenarios::Scenario& sc);
/// Writes the scenario to `path` as YAML, whole or not at all; the Error says why it could not.
Result<bool> save_scenario(const scenarios::Scenario& sc, const std::string& path);

}  // namespace linetwin::viz
