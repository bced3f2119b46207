#include "app/report.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <sstream>

#include "sim/warnings.hpp"

namespace linetwin::cli {
namespace {

double seconds_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::mutex g_progress_mutex;

std::string pad(std::string s, size_t width) {
  // Pads by display width: count UTF-8 lead bytes only.
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  if (w < width) s.append(width - w, ' ');
  return s;
}

std::string pct(const sim::Summary& s) {
  if (std::isnan(s.mean)) return "-";
  if (std::isnan(s.half_width)) return fmt::format("{:5.1f}%", 100 * s.mean);
  return fmt::format("{:5.1f}% ±{:.1f}", 100 * s.mean, 100 * s.half_width);
}

std::string with_ci(const sim::Summary& s) {
  if (std::isnan(s.mean)) return "-";
  if (std::isnan(s.half_width)) return fmt(s.mean);
  // Mean and half-width with the same decimals: four significant digits of the larger one.
  const double scale = std::max(std::fabs(s.mean), s.half_width);
  const int decimals = scale > 0 ? std::clamp(3 - static_cast<int>(std::floor(std::log10(scale))), 0, 6) : 0;
  return fmt::format("{:.{}f} ±{:.{}f}", s.mean, decimals, s.half_width, decimals);
}

}  // namespace

std::string fmt(double v, int digits) {
  if (std::isnan(v)) return "-";
  return fmt::format("{:.{}g}", v, digits);
}

std::string json_text(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

Json summary_json(const sim::Summary& s) {
  Json o;
  o["mean"] = s.mean;
  o["ci95"] = std::isfinite(s.half_width) ? Json::array({s.lo(), s.hi()}) : Json();
  return o;
}

Json factor_json(const scenarios::Factor& f, double v) {
  if (f.integer && std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9e15) return static_cast<int64_t>(v);
  return v;
}

Json run_json(const scenarios::Scenario& sc, const sim::ExperimentResult& r) {
  Json o;
  o["scenario"] = sc.line.name;
  o["time_unit"] = unit_name(sc.line.time_unit);
  o["replications"] = r.reps.size();
  o["horizon"] = sc.run.horizon;
  o["warmup"] = sc.run.warmup;
  o["seed"] = sc.run.seed;
  o["threads"] = r.threads_used;
  o["events"] = r.events;
  o["wall_s"] = r.wall_s;
  Json& kpis = o["kpis"];
  kpis["throughput"] = summary_json(r.throughput);
  kpis["lead_time"] = summary_json(r.lead_time);
  kpis["wip"] = summary_json(r.wip);
  kpis["lost"] = summary_json(r.lost);
  kpis["scrap"] = summary_json(r.scrap);
  kpis["power"] = summary_json(r.power);
  kpis["energy_per_item"] = summary_json(r.energy_per_item);
  Json& stations = o["stations"] = Json::object();
  for (size_t s = 0; s < r.stations.size(); ++s) {
    const auto& st = r.stations[s];
    Json& so = stations[sc.line.stations[s].name];
    so["machines"] = sc.line.stations[s].machines;
    so["utilization"] = summary_json(st.utilization);
    so["blocked"] = summary_json(st.blocked);
    so["starved"] = summary_json(st.starved);
    so["down"] = summary_json(st.down);
    so["setup"] = summary_json(st.setup);
    so["waiting"] = summary_json(st.waiting);
    so["maintenance"] = summary_json(st.maintenance);
    so["off"] = summary_json(st.off);
    so["queue"] = summary_json(st.queue);
    so["oee"] = summary_json(st.oee);
    so["power"] = summary_json(st.power);
  }
  Json& products = o["products"] = Json::object();
  for (size_t p = 0; p < r.products.size(); ++p) {
    const auto& ps = r.products[p];
    Json& po = products[sc.line.products[p].name];
    po["throughput"] = summary_json(ps.throughput);
    po["lead_time"] = summary_json(ps.lead_time);
    po["wip"] = summary_json(ps.wip);
    po["scrap"] = summary_json(ps.scrap);
    if (sc.line.has_assembly()) po["consumed"] = summary_json(ps.consumed);
  }
  Json& workers = o["workers"] = Json::object();
  for (size_t p = 0; p < r.workers.size(); ++p)
    workers[sc.line.workers[p].name]["utilization"] = summary_json(r.workers[p]);
  o["deadlocks"] = r.deadlocks;
  o["warnings"] = run_warnings(sc, r);
  return o;
}

std::vector<std::string> run_warnings(const scenarios::Scenario& sc, const sim::ExperimentResult& r) {
  std::vector<std::string> out = sim::line_warnings(sc.line);
  if (r.deadlocks > 0) {
    // Name the stations of the first locked replication: the usual case is one circle.
    std::vector<uint32_t> locked;
    for (const auto& rep : r.reps)
      if (!rep.locked.empty()) {
        locked = rep.locked;
        break;
      }
    std::string names;
    for (size_t i = 0; i < locked.size(); ++i)
      names += (i == 0 ? "" : i + 1 == locked.size() ? " and " : ", ") + ("'" + sc.line.stations[locked[i]].name + "'");
    out.push_back(std::to_string(r.deadlocks) + " of " + std::to_string(r.reps.size()) +
                  " replications locked for good (a deadlock) at stations " + names +
                  ": every machine there holds a finished item waiting for a place that never frees, so their "
                  "figures describe a dead line");
  } else {
    // A stable line ends a run holding about what it held on average; one still filling up holds
    // far more at the end, and its figures are not those of a steady state.
    double end = 0, average = 0;
    for (const auto& rep : r.reps) end += double(rep.in_line), average += rep.wip;
    if (!r.reps.empty() && end / double(r.reps.size()) > 1.5 * average / double(r.reps.size()) + 5)
      out.push_back("the line is still filling up at the end of the run: it holds " + fmt(end / double(r.reps.size()), 3) +
                    " items at the end against " + fmt(average / double(r.reps.size()), 3) +
                    " on average, so arrivals may outpace the bottleneck; look at the busiest station or "
                    "lengthen the warm-up");
  }
  return out;
}

std::string run_table(const scenarios::Scenario& sc, const sim::ExperimentResult& r) {
  const std::string u = unit_name(sc.line.time_unit);
  std::ostringstream o;
  o << sc.line.name << "\n"
    << r.reps.size() << " replications of " << fmt(sc.run.horizon, 6) << " " << u << " after a warm-up of "
    << fmt(sc.run.warmup, 6) << " " << u << ", seed " << sc.run.seed << "; " << r.events
    << " events in " << fmt(r.wall_s, 3) << " s on " << r.threads_used
    << (r.threads_used == 1 ? " thread\n\n" : " threads\n\n");
  o << pad("Line", 14) << pad("mean", 12) << pad("95% interval", 26) << "unit\n";
  auto row = [&](const char* name, const sim::Summary& s, const std::string& unit) {
    std::string ci = std::isfinite(s.half_width) ? "[" + fmt(s.lo()) + ", " + fmt(s.hi()) + "]" : "-";
    o << "  " << pad(name, 12) << pad(fmt(s.mean), 12) << pad(ci, 26) << unit << "\n";
  };
  row("throughput", r.throughput, "items/" + u);
  row("lead time", r.lead_time, u);
  row("WIP", r.wip, "items");
  row("lost", r.lost, "items/" + u);
  const bool quality = sc.line.has_quality();
  if (quality) row("scrap", r.scrap, "items/" + u);
  const auto& defs = sc.line.stations;
  if (sc.line.has_power()) {
    row("power", r.power, "kW");
    row("energy/item", r.energy_per_item, "kWh");
  }
  if (r.products.size() > 1) {
    size_t pw = 9;
    for (const auto& p : sc.line.products) pw = std::max(pw, p.name.size() + 2);
    const bool assembly = sc.line.has_assembly();
    // The cells given, each padded to 20 but the last, so that no line ends in spaces.
    auto cells = [](std::vector<std::string> v) {
      std::erase(v, std::string());
      std::string out;
      for (size_t k = 0; k < v.size(); ++k) out += k + 1 < v.size() ? pad(v[k], 20) : v[k];
      return out;
    };
    o << "\n" << pad("Product", pw) << pad("throughput", 20) << pad("lead time", 20) << pad("WIP", 20)
      << (quality ? (assembly ? pad("scrap", 20) : "scrap") : "") << (assembly ? "consumed" : "") << "\n";
    for (size_t p = 0; p < r.products.size(); ++p) {
      const auto& ps = r.products[p];
      o << pad(sc.line.products[p].name, pw) << pad(with_ci(ps.throughput), 20) << pad(with_ci(ps.lead_time), 20)
        << cells({with_ci(ps.wip), quality ? with_ci(ps.scrap) : "", assembly ? with_ci(ps.consumed) : ""}) << "\n";
    }
    o << "(throughput and scrap" << (assembly ? " and consumed (taken by an assembly)" : "") << " in items/" << u
      << ", lead time in " << u << ")\n";
  }
  if (!r.workers.empty()) {
    size_t pw = 8;
    for (const auto& p : sc.line.workers) pw = std::max(pw, p.name.size() + 2);
    o << "\n" << pad("Workers", pw) << pad("count", 8) << "busy\n";
    for (size_t p = 0; p < r.workers.size(); ++p)
      o << pad(sc.line.workers[p].name, pw) << pad(std::to_string(sc.line.workers[p].count), 8) << pct(r.workers[p])
        << "\n";
  }
  size_t w = 8;
  for (const auto& s : sc.line.stations) w = std::max(w, s.name.size() + 2);
  // The states a line reaches get their columns; OEE stands beside every station.
  const bool setups = sc.line.has_setups(), waits = sc.line.has_workers(), maint = sc.line.has_maintenance();
  const bool cal = sc.line.has_calendars();
  o << "\n" << pad("Station", w) << pad("machines", 10) << pad("busy", 14) << (setups ? pad("setup", 14) : "")
    << pad("blocked", 14) << pad("starved", 14) << (waits ? pad("waiting", 14) : "") << pad("down", 14)
    << (maint ? pad("maintenance", 14) : "") << (cal ? pad("off", 14) : "") << pad("OEE", 14) << "queue\n";
  for (size_t s = 0; s < r.stations.size(); ++s) {
    const auto& st = r.stations[s];
    o << pad(defs[s].name, w) << pad(std::to_string(defs[s].machines), 10) << pad(pct(st.utilization), 14)
      << (setups ? pad(defs[s].has_setups() ? pct(st.setup) : "     -", 14) : "") << pad(pct(st.blocked), 14)
      << pad(pct(st.starved), 14) << (waits ? pad(defs[s].has_needs() ? pct(st.waiting) : "     -", 14) : "")
      << pad(defs[s].has_failures ? pct(st.down) : "     -", 14)
      << (maint ? pad(defs[s].has_maintenance() ? pct(st.maintenance) : "     -", 14) : "")
      << (cal ? pad(sc.line.calendar_of(defs[s]) != sim::kNoCalendar ? pct(st.off) : "     -", 14) : "") << pad(pct(st.oee), 14)
      << with_ci(st.queue) << "\n";
  }
  // Name the bottleneck the way a planner reads the table: the busiest station (busy + down).
  size_t best = 0;
  double best_load = -1;
  for (size_t s = 0; s < r.stations.size(); ++s) {
    const double load = r.stations[s].utilization.mean + r.stations[s].down.mean;
    if (load > best_load) best_load = load, best = s;
  }
  if (!r.stations.empty() && std::isfinite(best_load))
    o << "\nBusiest station: " << sc.line.stations[best].name << " (busy or down "
      << fmt(100 * best_load, 3) << "% of its machine time)\n";
  o << "± is the half-width of the 95% interval over replications; '-' for down: no failures modelled"
    << (setups ? ", for setup: no changeovers" : "") << (waits ? ", for waiting: no workers needed" : "")
    << (maint ? ", for maintenance: none planned" : "") << (cal ? ", for off: no calendar" : "") << ".\n";
  return o.str();
}

Progress::Progress(std::string what) : what_(std::move(what)), tty_(isatty(2)), t0_(seconds_now()) {}

Progress::~Progress() {
  if (shown_) std::fprintf(stderr, "\r\033[K");
}

void Progress::update(double fraction) {
  if (!tty_) return;
  std::lock_guard lock(g_progress_mutex);
  const double elapsed = seconds_now() - t0_;
  if (elapsed < 1.0 || elapsed - last_ < 0.1) return;  // short runs stay quiet; redraw 10 times a second
  last_ = elapsed;
  shown_ = true;
  const int width = 30, filled = std::clamp(static_cast<int>(width * fraction), 0, width);
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  std::fprintf(stderr, "\r%s [%s%s] %3.0f%%, %.0f s left ", what_.c_str(),
               std::string(filled, '#').c_str(), std::string(width - filled, ' ').c_str(),
               100 * fraction, eta);
  std::fflush(stderr);
}

}  // namespace linetwin::cli
