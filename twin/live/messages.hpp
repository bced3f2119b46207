// What the twin publishes, one line of JSON each: the mirrored state (P/twin/state), the
// look-ahead forecast (P/twin/forecast) and where the line departs from its model
// (P/twin/deviation). Formats are in docs/live_twin.md. Encoding only.
#pragma once
#include <cstdint>
#include <string>

#include "sim/stats.hpp"
#include "twin/live/forecast.hpp"
#include "twin/live/mirror.hpp"

namespace linetwin::live {

/// What happened to the messages the twin received.
struct TwinCounters {
  uint64_t received = 0, applied = 0, malformed = 0, unknown = 0, out_of_order = 0, duplicate = 0;
};

/// The mirrored state; `connections` counts connections to the broker so far.
std::string state_json(const Mirror& mirror, const TwinCounters& counters, uint64_t connections);

/// A forecast made at mirror time `t` (seconds) when `finished_so_far` items had been finished.
std::string forecast_json(const Forecast& f, const sim::LineDef& line, double t, uint64_t finished_so_far);

/// The flagged deviations at the mirror's time (P/twin/deviation): {"t": T, "deviations": [...]}.
std::string deviations_json(const Mirror& mirror);

}  // namespace linetwin::live
