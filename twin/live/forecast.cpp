#include "twin/live/forecast.hpp"

#include <chrono>
#include <cmath>

#include "sim/line.hpp"

namespace linetwin::live {

Share wilson(uint32_t k, uint32_t n) {
  if (n == 0) return {0, 0, 1};
  constexpr double z = 1.959963984540054;
  const double p = double(k) / n, z2n = z * z / n;
  const double centre = (p + z2n / 2) / (1 + z2n);
  const double half = z * std::sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n);
  return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Forecast look_ahead(const sim::LineDef& line, const sim::LineState& state, const ForecastSettings& settings,
                    const std::atomic<bool>* stop) {
  const auto t0 = std::chrono::steady_clock::now();
  sim::RunDef run;
  run.horizon = settings.horizon;
  run.warmup = 0;
  run.replications = settings.replications;
  run.seed = settings.seed;
  const size_t ns = line.stations.size();
  std::vector<double> finished, throughput, wip, lead;
  std::vector<std::vector<double>> active(ns);
  std::vector<uint32_t> wins(ns, 0);
  Forecast f;
  f.horizon = settings.horizon;
  for (uint32_t r = 0; r < settings.replications; ++r) {
    if (stop && stop->load()) {
      f.stopped = true;
      break;
    }
    sim::LineSim sim(line, run, r);
    sim.start_from(state);
    const sim::RepResult rep = sim.run();
    finished.push_back(rep.throughput * settings.horizon);
    throughput.push_back(rep.throughput);
    wip.push_back(rep.wip);
    lead.push_back(rep.lead_time);
    uint32_t best = 0;
    for (uint32_t s = 0; s < ns; ++s) {
      const double a = rep.stations[s].utilization + rep.stations[s].down;
      active[s].push_back(a);
      if (a > active[best].back()) best = s;
    }
    ++wins[best];
  }
  const auto n = static_cast<uint32_t>(finished.size());
  f.replications = n;
  f.finished = sim::summarize(finished);
  f.throughput = sim::summarize(throughput);
  f.wip = sim::summarize(wip);
  f.lead_time = sim::summarize(lead);
  for (uint32_t s = 0; s < ns; ++s) {
    f.active.push_back(sim::summarize(active[s]));
    f.bottleneck_share.push_back(wilson(wins[s], n));
    if (wins[s] > wins[f.bottleneck]) f.bottleneck = s;
  }
  f.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return f;
}

}  // namespace linetwin::live
