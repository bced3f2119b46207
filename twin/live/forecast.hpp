// The look-ahead: from a state of the line (the mirror's), replications of the coming horizon by
// the simulator, summarised with 95% intervals: items finished, throughput, WIP, lead time, and
// which station is the bottleneck, how surely. Not a network client: the twin publishes the result.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/line_def.hpp"
#include "sim/line_state.hpp"
#include "sim/stats.hpp"

namespace linetwin::live {

/// How to look ahead.
struct ForecastSettings {
  double horizon = 60;            // in the scenario's time unit
  uint32_t replications = 20;
  uint64_t seed = 1;
};

/// A proportion with its 95% Wilson interval.
struct Share {
  double p = 0, lo = 0, hi = 0;
};

/// What the look-ahead expects over the horizon.
struct Forecast {
  double horizon = 0;                         // scenario time unit
  uint32_t replications = 0;
  sim::Summary finished, throughput, wip, lead_time;
  std::vector<sim::Summary> active;           // per station: busy + down fraction
  std::vector<Share> bottleneck_share;        // per station: how often it was the most active
  uint32_t bottleneck = 0;                    // the station most often the bottleneck
  double wall_s = 0;
  bool stopped = false;                       // cut short by the stop flag
};

/// Runs the look-ahead from `state` (which check_state must accept). Stops between replications
/// when `stop` becomes true.
Forecast look_ahead(const sim::LineDef& line, const sim::LineState& state, const ForecastSettings& settings,
                    const std::atomic<bool>* stop = nullptr);

/// The Wilson score interval of k successes in n trials.
Share wilson(uint32_t k, uint32_t n);

}  // namespace linetwin::live
