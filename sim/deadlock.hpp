// Whether a line has locked for good: stations whose buffers are full and whose machines all
// hold finished items waiting for a place at another such station. Nothing among them can ever
// move again, whatever the sources do. Read from a LineState, so it costs a run nothing until it
// is asked (once, at the end of a replication). Standard library only.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/line_def.hpp"
#include "sim/line_state.hpp"

namespace linetwin::sim {

/// The stations locked in `state` of `line`, in index order; empty when nothing is locked.
/// A station fed through a transport is never counted (its slots may still move), so a lock
/// through transports goes unreported rather than being reported falsely.
std::vector<uint32_t> locked_stations(const LineDef& line, const LineState& state);

}  // namespace linetwin::sim
