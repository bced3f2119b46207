#include "twin/live/messages.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "twin/live/trace.hpp"

namespace linetwin::live {
namespace {

constexpr size_t kMaxListedItems = 100;  // a buffer's ids listed in the state; the count is always whole

const char* machine_state(const Mirror::Machine& m) {
  if (m.down) return "down";
  switch (m.mode) {
    case Mirror::Mode::kIdle: return "idle";
    case Mirror::Mode::kBusy: return "busy";
    case Mirror::Mode::kHeld: return "blocked";
  }
  return "idle";
}

// Six significant digits: the intervals are far wider than that, and people read these.
double r6(double v) {
  if (!std::isfinite(v) || v == 0) return v;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return std::strtod(buf, nullptr);
}

std::string interval(double lo, double hi) { return json_array({json_number(r6(lo)), json_number(r6(hi))}); }

std::string deviation_json(const Deviation& d, const sim::LineDef& line) {
  const auto& o = d.observed;
  const double half = o.n > 1 ? 1.959963984540054 * o.sd() / std::sqrt(double(o.n)) : NAN;
  return JsonObject()
      .add("station", line.stations[d.station].name)
      .add("what", d.what)
      .raw("observed", JsonObject()
                           .add("mean", r6(o.mean))
                           .raw("ci95", std::isfinite(half) ? interval(o.mean - half, o.mean + half) : "null")
                           .add_int("n", static_cast<long long>(o.n))
                           .str())
      .add("model", d.model_mean)
      .add("ratio", r6(d.model_mean > 0 ? o.mean / d.model_mean : NAN))
      .add_bool("flagged", d.flagged)
      .add("message", d.message(line))
      .str();
}

}  // namespace

std::string summary_json(const sim::Summary& s) {
  JsonObject o;
  o.add("mean", s.n ? r6(s.mean) : NAN);
  o.raw("ci95", std::isfinite(s.half_width) && s.n > 1 ? interval(s.lo(), s.hi()) : "null");
  return o.str();
}

std::string deviations_json(const Mirror& mirror, bool flagged_only) {
  std::vector<std::string> list;
  for (const Deviation& d : mirror.deviations())
    if (d.flagged || !flagged_only) list.push_back(deviation_json(d, mirror.line()));
  return json_array(list);
}

std::string state_json(const Mirror& mirror, const TwinCounters& c, uint64_t connections) {
  const sim::LineDef& line = mirror.line();
  JsonObject stations;
  for (size_t s = 0; s < line.stations.size(); ++s) {
    const Mirror::Station& st = mirror.stations()[s];
    std::vector<std::string> ids, machines;
    for (size_t k = 0; k < st.buffer.size() && k < kMaxListedItems; ++k) ids.push_back(json_string(st.buffer[k]));
    for (const Mirror::Machine& m : st.machines) {
      JsonObject mo;
      mo.add("state", machine_state(m));
      if (m.mode != Mirror::Mode::kIdle) {
        mo.add("item", m.item);
        if (const auto* it = mirror.item(m.item)) mo.add("product", line.products[it->product].name);
      }
      machines.push_back(mo.str());
    }
    stations.raw(line.stations[s].name, JsonObject()
                                            .add_int("queue", static_cast<long long>(st.buffer.size()))
                                            .raw("buffer", json_array(ids))
                                            .raw("machines", json_array(machines))
                                            .str());
  }
  return JsonObject()
      .add("t", mirror.now())
      .add("scenario", line.name)
      .add("time_unit", unit_name(line.time_unit))
      .add_int("wip", static_cast<long long>(mirror.wip()))
      .add_int("finished", static_cast<long long>(mirror.finished()))
      .add_int("lost", static_cast<long long>(mirror.lost()))
      .add_int("in_transit", static_cast<long long>(mirror.transit().size()))
      .raw("stations", stations.str())
      .raw("messages", JsonObject()
                           .add_int("received", static_cast<long long>(c.received))
                           .add_int("applied", static_cast<long long>(c.applied))
                           .add_int("malformed", static_cast<long long>(c.malformed))
                           .add_int("unknown", static_cast<long long>(c.unknown))
                           .add_int("out_of_order", static_cast<long long>(c.out_of_order))
                           .add_int("duplicate", static_cast<long long>(c.duplicate))
                           .str())
      .add_int("connections", static_cast<long long>(connections))
      .raw("deviations", deviations_json(mirror, false))
      .str();
}

std::string forecast_json(const Forecast& f, const sim::LineDef& line, double t, uint64_t finished_so_far) {
  JsonObject stations;
  for (size_t s = 0; s < line.stations.size(); ++s) {
    const Share& b = f.bottleneck_share[s];
    stations.raw(line.stations[s].name,
                 JsonObject()
                     .raw("active", summary_json(f.active[s]))
                     .raw("bottleneck_share", JsonObject().add("mean", r6(b.p)).raw("ci95", interval(b.lo, b.hi)).str())
                     .str());
  }
  sim::Summary by_end = f.finished;
  by_end.mean += double(finished_so_far);
  const Share& b = f.bottleneck_share[f.bottleneck];
  return JsonObject()
      .add("t", t)
      .add("time_unit", unit_name(line.time_unit))
      .add("horizon", f.horizon)
      .add("horizon_s", f.horizon * seconds_in(line.time_unit))
      .add_int("replications", f.replications)
      .add_int("finished_so_far", static_cast<long long>(finished_so_far))
      .raw("finished", summary_json(f.finished))
      .raw("finished_by_end", summary_json(by_end))
      .raw("throughput", summary_json(f.throughput))
      .raw("wip", summary_json(f.wip))
      .raw("lead_time", summary_json(f.lead_time))
      .raw("bottleneck", JsonObject()
                             .add("station", line.stations[f.bottleneck].name)
                             .raw("share", JsonObject().add("mean", r6(b.p)).raw("ci95", interval(b.lo, b.hi)).str())
                             .str())
      .raw("stations", stations.str())
      .add("wall_s", r6(f.wall_s))
      .str();
}

}  // namespace linetwin::live
