#include "sim/detail/line_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace linetwin::sim::detail {

LineStats::LineStats(const LineDef& line) {
  uint32_t total = 0;
  for (const auto& s : line.stations) {
    first_machine_.push_back(total);
    machine_count_.push_back(s.machines);
    total += s.machines;
  }
  if (line.products.size() > 1) products_.resize(line.products.size());
}

RepResult LineStats::result(double t, const std::vector<MachineState>& states,
                            const std::vector<MachineClock>& clocks,
                            const std::vector<Level>& queues) const {
  RepResult r;
  const double span = measuring_ ? t - start_ : 0.0;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto per_time = [&](double x) { return span > 0 ? x / span : nan; };
  r.throughput = per_time(double(finished_window_));
  r.lost = per_time(double(lost_window_));
  r.wip = per_time(measuring_ ? wip_.area_to(t) : 0.0);
  r.lead_time = finished_window_ > 0 ? lead_sum_ / double(finished_window_) : nan;
  r.scrap = per_time(double(scrapped_window_));
  r.scrap_time = scrapped_window_ > 0 ? scrap_time_sum_ / double(scrapped_window_) : nan;
  if (products_.empty()) {
    r.products.push_back({r.throughput, r.lead_time, r.wip, r.scrap, r.scrap_time});
  } else {
    for (const ProductCounts& p : products_)
      r.products.push_back({per_time(double(p.finished_window)),
                            p.finished_window > 0 ? p.lead_sum / double(p.finished_window) : nan,
                            per_time(measuring_ ? p.wip.area_to(t) : 0.0), per_time(double(p.scrapped_window)),
                            p.scrapped_window > 0 ? p.scrap_time_sum / double(p.scrapped_window) : nan});
  }
  r.stations.resize(first_machine_.size());
  for (size_t s = 0; s < first_machine_.size(); ++s) {
    std::array<double, kMachineStates> sum{};
    for (uint32_t i = 0; i < machine_count_[s]; ++i) {
      const uint32_t mi = first_machine_[s] + i;
      const MachineClock& m = clocks[mi];
      for (int k = 0; k < kMachineStates; ++k) sum[k] += m.time[k];
      sum[static_cast<int>(states[mi])] += t - m.since;
    }
    const double denom = span * machine_count_[s];
    auto frac = [&](MachineState st) { return denom > 0 ? sum[int(st)] / denom : nan; };
    r.stations[s].utilization = frac(MachineState::kBusy);
    r.stations[s].blocked = frac(MachineState::kBlocked);
    r.stations[s].starved = frac(MachineState::kStarved);
    r.stations[s].down = frac(MachineState::kDown);
    r.stations[s].queue = per_time(measuring_ ? queues[s].area_to(t) : 0.0);
  }
  r.created = created_;
  r.finished = finished_;
  r.lost_total = lost_total_;
  r.in_line = static_cast<uint64_t>(wip_.n);
  r.scrapped = scrapped_;
  r.end_time = t;
  return r;
}

}  // namespace linetwin::sim::detail
