// Scenario files: YAML into plain definition structs (sim::LineDef, sim::RunDef), with complete
// validation and `--set PATH=VALUE` overrides. This is the only module that knows YAML.
// Not a simulator: it only reads, checks and (later) writes scenario files.
#pragma once
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/line_def.hpp"
#include "core/result.hpp"

namespace linetwin::scenarios {

/// A knob that sweeps, surrogates and the optimizer may turn.
struct Factor {
  std::string path;      // e.g. "stations.m2.machines"
  double lo = 0, hi = 0;
  bool integer = false;
  double base = 0;       // the scenario's own value at that path
};

/// What the optimizer maximizes or minimizes.
struct Objective {
  bool maximize = true;
  std::string kpi;                                   // throughput, lead_time, wip, lost
  std::vector<std::pair<std::string, double>> cost;  // factor path -> cost per unit
};

/// Where the viewer draws a station: a point on the floor, in metres, and the way items flow.
struct StationPlace {
  sim::StationId station{};
  double x = 0, y = 0;
  double angle = 0;      // degrees from the +x axis towards +y; 0 when not given
};

/// The points a transport passes through between its two stations, in metres.
struct TransportPath {
  sim::TransportId transport{};
  std::vector<std::array<double, 2>> waypoints;
};

/// The optional `layout:` of a scenario, read by the viewer: `STATION: [x, y]` (or {x, y, angle})
/// and `FROM>TO: [[x, y], ...]` for a transport's waypoints. What it leaves out is laid out
/// automatically along the flow.
struct Layout {
  std::vector<StationPlace> stations;     // in file order
  std::vector<TransportPath> transports;  // in file order
};

/// An order to plan (`linetwin schedule SCENARIO`); see sim::OrderDef.
using Order = sim::OrderDef;

/// A validated scenario.
struct Scenario {
  std::string file;                  // where it came from (for messages)
  sim::LineDef line;
  sim::RunDef run;
  std::vector<Factor> factors;
  std::optional<Objective> objective;
  Layout layout;
  std::vector<Order> orders;         // in file order
};

// PATH (for --set, factors and objective.cost) is dot-separated: a mapping is entered by key and a
// list item by its name ("stations.m1.machines", "sources.arrivals.interarrival.mean"); transports
// are named FROM>TO ("transports.m1>m2.capacity") and factors by their path
// ("factors.stations.m1.machines.range"). Every part but the last must exist; the last may add a
// key ("stations.m1.failures={ttf: 200, ttr: 10}"), and an empty VALUE (or ~) removes an optional
// one. Names of products, sources and stations may not contain '.', '=' or '>'.

/// One `--set PATH=VALUE` override, VALUE being YAML text ("3", "inf", "{dist: exponential, mean: 2}").
struct Override {
  std::string path;
  std::string value;
};

/// Parses "PATH=VALUE" as given on the command line.
Result<Override> parse_override(const std::string& text);

/// Reads, overrides and validates a scenario file.
Result<Scenario> load_scenario(const std::string& path, const std::vector<Override>& overrides = {});

/// The same from text already in memory; `file` names it in messages.
Result<Scenario> parse_scenario(const std::string& text, const std::string& file,
                                const std::vector<Override>& overrides = {});

/// The override that sets the numeric value at `path` (integers written without a decimal point,
/// others in the shortest text that reads back exactly), e.g. for a factor's value.
Override factor_override(const std::string& path, double value);

/// The scenario as YAML text that load_scenario reads back to the same line, run, factors,
/// objective, layout and orders (comments and the description are not kept).
std::string write_scenario(const Scenario& scenario);

/// The largest scenario file read; a real one is a few kilobytes.
inline constexpr std::size_t kMaxScenarioBytes = 16u << 20;

}  // namespace linetwin::scenarios
