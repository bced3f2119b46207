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
    power_.push_back(s.power);
  }
  hours_per_unit_ = seconds_in(line.time_unit) / 3600.0;
  if (line.products.size() > 1) products_.resize(line.products.size());
}

RepResult LineStats::result(double t, const std::vector<MachineState>& states,
                            const std::vector<MachineClock>& clocks, const std::vector<ColdClock>& cold,
                            const std::vector<Level>& queues, const std::vector<QualityCount>& quality) const {
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
  r.consumed = per_time(double(consumed_window_));
  r.consume_time = consumed_window_ > 0 ? consume_time_sum_ / double(consumed_window_) : nan;
  if (products_.empty()) {
    r.products.push_back({r.throughput, r.lead_time, r.wip, r.scrap, r.scrap_time, r.consumed, r.consume_time});
  } else {
    for (const ProductCounts& p : products_)
      r.products.push_back({per_time(double(p.finished_window)),
                            p.finished_window > 0 ? p.lead_sum / double(p.finished_window) : nan,
                            per_time(measuring_ ? p.wip.area_to(t) : 0.0), per_time(double(p.scrapped_window)),
                            p.scrapped_window > 0 ? p.scrap_time_sum / double(p.scrapped_window) : nan,
                            per_time(double(p.consumed_window)),
                            p.consumed_window > 0 ? p.consume_time_sum / double(p.consumed_window) : nan});
  }
  r.stations.resize(first_machine_.size());
  for (size_t s = 0; s < first_machine_.size(); ++s) {
    std::array<double, kMachineStates> sum{};
    double ideal = 0;
    for (uint32_t i = 0; i < machine_count_[s]; ++i) {
      const uint32_t mi = first_machine_[s] + i;
      const MachineClock& m = clocks[mi];
      for (int k = 0; k < kHotStates; ++k) sum[k] += m.time[k];
      if (!cold.empty())
        for (int k = kHotStates; k < kMachineStates; ++k) sum[k] += cold[mi].in(MachineState(k));
      sum[static_cast<int>(states[mi])] += t;  // the current state, entered and not yet left
      ideal += m.ideal;
    }
    if (!measuring_) sum = {};
    const double denom = span * machine_count_[s];
    auto frac = [&](MachineState st) { return denom > 0 ? sum[int(st)] / denom : nan; };
    StationResult& out = r.stations[s];
    out.utilization = frac(MachineState::kBusy);
    out.blocked = frac(MachineState::kBlocked);
    out.starved = frac(MachineState::kStarved);
    out.down = frac(MachineState::kDown);
    out.setup = frac(MachineState::kSetup);
    out.waiting = frac(MachineState::kWaiting);
    out.maintenance = frac(MachineState::kMaintenance);
    out.off = frac(MachineState::kOff);
    out.queue = per_time(measuring_ ? queues[s].area_to(t) : 0.0);
    // OEE = availability x performance x quality, with availability = busy / (planned -
    // maintenance), performance = ideal / busy, quality = good / finished: the busy time cancels.
    const double available = denom - sum[int(MachineState::kOff)] - sum[int(MachineState::kMaintenance)];
    double good = 1;
    if (!quality.empty() && quality[s].finished > 0)
      good = 1 - double(quality[s].bad) / double(quality[s].finished);
    out.oee = available > 0 ? (measuring_ ? ideal : 0.0) * good / available : nan;
    if (!power_[s].empty() && denom > 0) {
      double kw = 0;
      for (int k = 0; k < kMachineStates; ++k) kw += power_[s][k] * sum[k];
      out.power = kw / span;  // the machines' draws add up
    }
    r.power += out.power;
  }
  r.energy_per_item = finished_window_ > 0 ? r.power * span * hours_per_unit_ / double(finished_window_) : nan;
  r.created = created_;
  r.finished = finished_;
  r.lost_total = lost_total_;
  r.in_line = static_cast<uint64_t>(wip_.n);
  r.scrapped = scrapped_;
  r.consumed_total = consumed_;
  r.end_time = t;
  return r;
}

}  // namespace linetwin::sim::detail
