#include "sim/deadlock.hpp"

#include <algorithm>

namespace linetwin::sim {

std::vector<uint32_t> locked_stations(const LineDef& line, const LineState& state) {
  const size_t n = std::min(line.stations.size(), state.stations.size());
  // Candidates: a full buffer and every machine blocked (holding a finished item). Then the
  // greatest set in which every blocked item waits for a candidate: drop a station as soon as one
  // of its items could go somewhere else (the exit, a transport, a station that can still move).
  std::vector<bool> in(n, false);
  for (size_t s = 0; s < n; ++s) {
    const auto& st = state.stations[s];
    const auto& def = line.stations[s];
    const bool full = def.buffer != kUnlimited && st.queue.size() >= def.buffer;
    const bool all_blocked = !st.machines.empty() && std::all_of(st.machines.begin(), st.machines.end(), [](const PlacedMachine& m) {
      return m.status == MachineStatus::kBlocked;
    });
    in[s] = full && all_blocked;
  }
  auto waits_for = [&](uint32_t s, const PlacedItem& item) -> int64_t {
    if (item.product >= line.products.size()) return -1;
    const auto& route = line.products[item.product].route;
    if (item.step + 1 >= route.size()) return -1;  // leaving the line never blocks
    const uint32_t next = idx(route[item.step + 1]);
    for (const auto& t : line.transports)
      if (idx(t.from) == s && idx(t.to) == next) return -1;
    return next;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t s = 0; s < n; ++s) {
      if (!in[s]) continue;
      for (const auto& m : state.stations[s].machines) {
        const int64_t next = waits_for(s, m.item);
        if (next < 0 || size_t(next) >= n || !in[size_t(next)]) {
          in[s] = false;
          changed = true;
          break;
        }
      }
    }
  }
  std::vector<uint32_t> out;
  for (uint32_t s = 0; s < n; ++s)
    if (in[s]) out.push_back(s);
  return out;
}

}  // namespace linetwin::sim
