// Before a run: roughly how many events it will process, from the sources' rates and the stations'
// capacities. Not a prediction of results; a guard against runs that cannot finish in reason (an
// interarrival typed as 1e-300) and the basis for saying how long a long run will take.
#pragma once
#include <string>

#include "sim/line_def.hpp"

namespace linetwin::sim {

/// The rough size of a run and the part of the line that makes most of it.
struct EventEstimate {
  double events = 0;     // all replications, warm-up included; may be infinite
  std::string culprit;   // e.g. "source 'arrivals' (interarrival mean 1e-300 min)"
};

/// Estimates the events of `run` on `line` within a small factor (each item's arrival, starts and
/// finishes at every station of its route, transports, failures and repairs).
EventEstimate estimate_events(const LineDef& line, const RunDef& run);

}  // namespace linetwin::sim
