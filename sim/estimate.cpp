#include "sim/estimate.hpp"

#include <algorithm>
#include <cstdio>

namespace linetwin::sim {
namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// Items per time unit a station can finish of product p: its machines over the mean process time.
double capacity(const StationDef& s, uint32_t p) {
  const double mean = s.process.empty() ? 0.0 : s.process[std::min<size_t>(p, s.process.size() - 1)].mean();
  return mean > 0 ? double(s.machines) / mean : kInf;
}

}  // namespace

EventEstimate estimate_events(const LineDef& line, const RunDef& run) {
  EventEstimate e;
  const double length = (run.warmup + run.horizon) * double(run.replications);
  double worst = -1;
  auto count = [&](double rate, std::string who) {
    const double events = rate * length;
    e.events += events;
    if (events > worst) worst = events, e.culprit = std::move(who);
  };
  const std::string unit = unit_name(line.time_unit);
  for (const auto& src : line.sources) {
    double total_weight = 0;
    for (const auto& m : src.mix) total_weight += m.weight;
    const double mean = src.interarrival.mean();
    const double arrivals = src.saturated ? kInf : mean > 0 ? 1.0 / mean : kInf;
    if (!src.saturated)
      count(arrivals, "source '" + src.name + "' (interarrival mean " + number(mean) + " " + unit + ")");
    for (const auto& m : src.mix) {
      const uint32_t p = idx(m.product);
      if (p >= line.products.size()) continue;
      const auto& route = line.products[p].route;
      // The flow is what arrives or what the route's narrowest station lets through, if less.
      double flow = total_weight > 0 ? arrivals * m.weight / total_weight : 0;
      const StationDef* narrowest = nullptr;
      for (StationId s : route) {
        const double cap = capacity(line.stations[idx(s)], p);
        if (cap < flow) flow = cap, narrowest = &line.stations[idx(s)];
      }
      const double per_item = 2.0 * double(route.size()) + 1.0;
      if (narrowest) {
        const auto& d = narrowest->process[std::min<size_t>(p, narrowest->process.size() - 1)];
        count(flow * per_item, "station '" + narrowest->name + "' (process time mean " + number(d.mean()) + " " + unit + ")");
      } else {
        count(flow * per_item, "source '" + src.name + "'");
      }
    }
  }
  for (const auto& s : line.stations) {
    if (!s.has_failures) continue;
    const double ttf = s.failures.ttf.mean();
    count(ttf > 0 ? 2.0 * double(s.machines) / ttf : kInf,
          "station '" + s.name + "' (time to failure mean " + number(ttf) + " " + unit + ")");
  }
  return e;
}

}  // namespace linetwin::sim
