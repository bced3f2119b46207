#include "twin/live/messages.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "twin/live/json_line.hpp"
#include "twin/live/trace.hpp"

namespace linetwin::live {
namespace {

constexpr size_t kMaxListedItems = 100;  // a buffer's ids listed in the state; the count is always whole

const char* machine_state(const Mirror::Machine& m) {
  if (m.off) return "off";
  if (m.down) return "down";
  if (m.maintaining) return "maintenance";
  switch (m.mode) {
    case Mirror::Mode::kIdle: return "idle";
    case Mirror::Mode::kBusy: return "busy";
    case Mirror::Mode::kHeld: return "blocked";
    case Mirror::Mode::kSetup: return "setup";
  }
  return "idle";
}

// Six significant digits: the intervals are far wider than that, and people read these.
double r6(double v) {
  if (!std::isfinite(v) || v == 0) return v;
  return std::strtod(fmt::format("{:.6g}", v).c_str(), nullptr);
}

Json interval(double lo, double hi) { return Json::array({r6(lo), r6(hi)}); }

// {"mean": M, "ci95": [LO, HI]}, ci95 null when there is no interval.
Json summary(const sim::Summary& s) {
  Json o;
  o["mean"] = s.n ? r6(s.mean) : NAN;
  o["ci95"] = std::isfinite(s.half_width) && s.n > 1 ? interval(s.lo(), s.hi()) : Json();
  return o;
}

// A share of the replications with its interval: {"mean": P, "ci95": [LO, HI]}.
Json share(const Share& b) {
  Json o;
  o["mean"] = r6(b.p);
  o["ci95"] = interval(b.lo, b.hi);
  return o;
}

Json deviation(const Deviation& d, const sim::LineDef& line) {
  const auto& o = d.observed;
  const double half = o.n > 1 ? 1.959963984540054 * o.sd() / std::sqrt(double(o.n)) : NAN;
  Json observed;
  observed["mean"] = r6(o.mean);
  observed["ci95"] = std::isfinite(half) ? interval(o.mean - half, o.mean + half) : Json();
  observed["n"] = o.n;
  Json v;
  v["station"] = line.stations[d.station].name;
  v["what"] = d.what;
  v["observed"] = std::move(observed);
  v["model"] = d.model_mean;
  v["ratio"] = r6(d.model_mean > 0 ? o.mean / d.model_mean : NAN);
  v["flagged"] = d.flagged;
  v["message"] = d.message(line);
  return v;
}

Json deviations(const Mirror& mirror, bool flagged_only) {
  Json list = Json::array();
  for (const Deviation& d : mirror.deviations())
    if (d.flagged || !flagged_only) list.push_back(deviation(d, mirror.line()));
  return list;
}

}  // namespace

std::string deviations_json(const Mirror& mirror) {
  Json o;
  o["t"] = mirror.now();
  o["deviations"] = deviations(mirror, true);
  return json_line(o);
}

std::string state_json(const Mirror& mirror, const TwinCounters& c, uint64_t connections) {
  const sim::LineDef& line = mirror.line();
  Json stations = Json::object();
  for (size_t s = 0; s < line.stations.size(); ++s) {
    const Mirror::Station& st = mirror.stations()[s];
    Json ids = Json::array(), machines = Json::array();
    for (size_t k = 0; k < st.buffer.size() && k < kMaxListedItems; ++k) ids.push_back(st.buffer[k]);
    for (const Mirror::Machine& m : st.machines) {
      Json mo;
      mo["state"] = machine_state(m);
      if (m.mode != Mirror::Mode::kIdle) {
        mo["item"] = m.item;
        if (const auto* it = mirror.item(m.item)) mo["product"] = line.products[it->product].name;
      }
      machines.push_back(std::move(mo));
    }
    Json so;
    so["queue"] = st.buffer.size();
    so["buffer"] = std::move(ids);
    so["machines"] = std::move(machines);
    stations[line.stations[s].name] = std::move(so);
  }
  Json messages;
  messages["received"] = c.received;
  messages["applied"] = c.applied;
  messages["malformed"] = c.malformed;
  messages["unknown"] = c.unknown;
  messages["out_of_order"] = c.out_of_order;
  messages["duplicate"] = c.duplicate;
  Json o;
  o["t"] = mirror.now();
  o["scenario"] = line.name;
  o["time_unit"] = unit_name(line.time_unit);
  o["wip"] = mirror.wip();
  o["finished"] = mirror.finished();
  o["lost"] = mirror.lost();
  o["scrapped"] = mirror.scrapped();
  o["in_transit"] = mirror.transit().size();
  o["stations"] = std::move(stations);
  o["messages"] = std::move(messages);
  o["connections"] = connections;
  o["deviations"] = deviations(mirror, false);
  return json_line(o);
}

std::string forecast_json(const Forecast& f, const sim::LineDef& line, double t, uint64_t finished_so_far) {
  Json stations = Json::object();
  for (size_t s = 0; s < line.stations.size(); ++s) {
    Json so;
    so["active"] = summary(f.active[s]);
    so["bottleneck_share"] = share(f.bottleneck_share[s]);
    stations[line.stations[s].name] = std::move(so);
  }
  sim::Summary by_end = f.finished;
  by_end.mean += double(finished_so_far);
  Json bottleneck;
  bottleneck["station"] = line.stations[f.bottleneck].name;
  bottleneck["share"] = share(f.bottleneck_share[f.bottleneck]);
  Json o;
  o["t"] = t;
  o["time_unit"] = unit_name(line.time_unit);
  o["horizon"] = f.horizon;
  o["horizon_s"] = f.horizon * seconds_in(line.time_unit);
  o["replications"] = f.replications;
  o["finished_so_far"] = finished_so_far;
  o["finished"] = summary(f.finished);
  o["finished_by_end"] = summary(by_end);
  o["throughput"] = summary(f.throughput);
  o["wip"] = summary(f.wip);
  o["lead_time"] = summary(f.lead_time);
  o["bottleneck"] = std::move(bottleneck);
  o["stations"] = std::move(stations);
  o["wall_s"] = r6(f.wall_s);
  return json_line(o);
}

}  // namespace linetwin::live
