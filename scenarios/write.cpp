// A Scenario back into YAML: the file `linetwin view` saves after a what-if, which load_scenario
// reads back to the same definitions. Numbers are written in the shortest text that reads back
// exactly, times in the scenario's time_unit, names quoted whenever YAML could misread them.
#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/text.hpp"
#include "scenarios/scenario.hpp"
#include "sim/rep_result.hpp"

namespace linetwin::scenarios {
namespace {

std::string count(uint32_t v) { return v == sim::kUnlimited ? "inf" : std::to_string(v); }

// Plain when YAML reads it back as the same string; double-quoted with escapes otherwise.
std::string quoted(const std::string& s) {
  bool plain = !s.empty() && std::isalpha(static_cast<unsigned char>(s.front())) && s.back() != ' ';
  for (char c : s) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == ' ' || c == '.');
  static const char* const kWords[] = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "inf", "nan"};
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* w : kWords) plain = plain && lower != w;
  if (plain) return s;
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string dist(const sim::Dist& d) {
  switch (d.kind) {
    case sim::DistKind::kConstant: return exact_text(d.value);
    case sim::DistKind::kExponential: return "{dist: exponential, mean: " + exact_text(d.exponential.mean) + "}";
    case sim::DistKind::kNormal:
      return "{dist: normal, mean: " + exact_text(d.normal.mean) + ", sd: " + exact_text(d.normal.sd) + "}";
    case sim::DistKind::kLognormal:
      return "{dist: lognormal, mean: " + exact_text(d.lognormal.mean) + ", sd: " + exact_text(d.lognormal.sd) + "}";
    case sim::DistKind::kUniform:
      return "{dist: uniform, min: " + exact_text(d.uniform.min) + ", max: " + exact_text(d.uniform.max) + "}";
    case sim::DistKind::kTriangular:
      return "{dist: triangular, min: " + exact_text(d.triangular.min) + ", mode: " + exact_text(d.triangular.mode) +
             ", max: " + exact_text(d.triangular.max) + "}";
    case sim::DistKind::kErlang:
      return "{dist: erlang, mean: " + exact_text(d.erlang.mean) + ", k: " + std::to_string(d.erlang.k) + "}";
    case sim::DistKind::kWeibull:
      return "{dist: weibull, shape: " + exact_text(d.weibull.shape) + ", scale: " + exact_text(d.weibull.scale) + "}";
    case sim::DistKind::kEmpirical: {
      std::string s = "{dist: empirical, values: [";
      for (std::size_t i = 0; i < d.values.size(); ++i) s += (i ? ", " : "") + exact_text(d.values[i]);
      return s + "]}";
    }
  }
  return exact_text(d.value);
}

bool visits(const sim::ProductDef& p, std::size_t station) {
  for (sim::StationId s : p.route)
    if (sim::idx(s) == station) return true;
  return false;
}

void write_process(std::ostream& out, const sim::LineDef& line, std::size_t s) {
  const auto& process = line.stations[s].process;
  bool all_same = true;
  for (const auto& d : process) all_same = all_same && d == process.front();
  if (all_same && !process.empty()) {
    out << "    process: " << dist(process.front()) << "\n";
    return;
  }
  out << "    process:\n";
  for (std::size_t p = 0; p < process.size(); ++p)
    if (visits(line.products[p], s) || !(process[p] == sim::Dist{}))
      out << "      " << quoted(line.products[p].name) << ": " << dist(process[p]) << "\n";
}

std::string transport_name(const sim::LineDef& line, std::size_t t) {
  return line.stations[sim::idx(line.transports[t].from)].name + ">" + line.stations[sim::idx(line.transports[t].to)].name;
}

void write_layout(std::ostream& out, const Scenario& sc) {
  const Layout& l = sc.layout;
  if (l.stations.empty() && l.transports.empty()) return;
  out << "\nlayout:                 # where the viewer draws the stations, in metres\n";
  for (const auto& p : l.stations) {
    out << "  " << quoted(sc.line.stations[sim::idx(p.station)].name) << ": ";
    if (p.angle != 0)
      out << "{x: " << exact_text(p.x) << ", y: " << exact_text(p.y) << ", angle: " << exact_text(p.angle) << "}\n";
    else
      out << "[" << exact_text(p.x) << ", " << exact_text(p.y) << "]\n";
  }
  for (const auto& t : l.transports) {
    out << "  " << quoted(transport_name(sc.line, sim::idx(t.transport))) << ": [";
    for (std::size_t i = 0; i < t.waypoints.size(); ++i)
      out << (i ? ", " : "") << "[" << exact_text(t.waypoints[i][0]) << ", " << exact_text(t.waypoints[i][1]) << "]";
    out << "]\n";
  }
}

void write_orders(std::ostream& out, const Scenario& sc) {
  if (sc.orders.empty()) return;
  out << "\norders:\n";
  for (const auto& o : sc.orders) {
    out << "  - {name: " << quoted(o.name) << ", product: " << quoted(sc.line.products[sim::idx(o.product)].name)
        << ", quantity: " << o.quantity << ", release: " << exact_text(o.release);
    if (o.due != sim::kInf) out << ", due: " << exact_text(o.due);
    out << ", weight: " << exact_text(o.weight) << "}\n";
  }
}

}  // namespace

std::string write_scenario(const Scenario& sc) {
  const sim::LineDef& line = sc.line;
  std::ostringstream out;
  out << "# Written by linetwin.\n";
  out << "name: " << quoted(line.name) << "\n";
  out << "time_unit: " << unit_name(line.time_unit) << "\n";
  out << "horizon: " << exact_text(sc.run.horizon) << "\n";
  out << "warmup: " << exact_text(sc.run.warmup) << "\n";
  out << "replications: " << sc.run.replications << "\n";
  out << "seed: " << sc.run.seed << "\n";
  if (!line.calendars.empty()) {
    auto intervals = [&](const std::vector<sim::Interval>& v) {
      std::string t = "[";
      for (std::size_t i = 0; i < v.size(); ++i) t += (i ? ", [" : "[") + exact_text(v[i].from) + ", " + exact_text(v[i].to) + "]";
      return t + "]";
    };
    out << "\ncalendars:\n";
    for (const auto& c : line.calendars) {
      out << "  - name: " << quoted(c.name) << "\n    period: " << exact_text(c.period) << "\n    work: " << intervals(c.work) << "\n";
      if (!c.breaks.empty()) out << "    breaks: " << intervals(c.breaks) << "\n";
    }
  }
  if (line.calendar != sim::kNoCalendar) out << "calendar: " << quoted(line.calendars[line.calendar].name) << "\n";

  out << "\nproducts:\n";
  for (const auto& p : line.products) {
    out << "  - name: " << quoted(p.name) << "\n    route: [";
    for (std::size_t i = 0; i < p.route.size(); ++i)
      out << (i ? ", " : "") << quoted(line.stations[sim::idx(p.route[i])].name);
    out << "]\n";
    if (p.priority != 0) out << "    priority: " << p.priority << "\n";
    if (p.assembled()) {
      out << "    bom: {";
      for (std::size_t i = 0; i < p.bom.size(); ++i)
        out << (i ? ", " : "") << quoted(line.products[sim::idx(p.bom[i].component)].name) << ": " << p.bom[i].count;
      out << "}\n";
    }
  }

  out << "\nsources:\n";
  for (const auto& s : line.sources) {
    out << "  - name: " << quoted(s.name) << "\n";
    if (s.mix.size() == 1 && s.mix.front().weight == 1) {
      out << "    product: " << quoted(line.products[sim::idx(s.mix.front().product)].name) << "\n";
    } else {
      out << "    mix: {";
      for (std::size_t i = 0; i < s.mix.size(); ++i)
        out << (i ? ", " : "") << quoted(line.products[sim::idx(s.mix[i].product)].name) << ": " << exact_text(s.mix[i].weight);
      out << "}\n";
    }
    if (s.calendar != sim::kNoCalendar) out << "    calendar: " << quoted(line.calendars[s.calendar].name) << "\n";
    if (s.lot != 1) out << "    lot: " << s.lot << "\n";
    if (s.saturated)
      out << "    saturated: true\n";
    else
      out << "    interarrival: " << dist(s.interarrival) << "\n";
  }

  if (line.has_workers()) {
    out << "\nworkers:\n";
    for (const auto& w : line.workers)
      out << "  - {name: " << quoted(w.name) << ", count: " << w.count
          << (w.calendar == sim::kNoCalendar ? "" : ", calendar: " + quoted(line.calendars[w.calendar].name)) << "}\n";
  }

  out << "\nstations:\n";
  for (std::size_t i = 0; i < line.stations.size(); ++i) {
    const auto& st = line.stations[i];
    out << "  - name: " << quoted(st.name) << "\n";
    out << "    machines: " << st.machines << "\n";
    out << "    buffer: " << count(st.buffer) << "\n";
    if (st.calendar != sim::kNoCalendar) out << "    calendar: " << quoted(line.calendars[st.calendar].name) << "\n";
    write_process(out, line, i);
    if (st.has_failures)
      out << "    failures: {ttf: " << dist(st.failures.ttf) << ", ttr: " << dist(st.failures.ttr)
          << (st.failures.repair_by == sim::kNoPool ? "" : ", repair_by: " + quoted(line.workers[st.failures.repair_by].name))
          << "}\n";
    if (st.has_needs()) {
      out << "    needs: {";
      for (std::size_t k = 0; k < st.needs.size(); ++k)
        out << (k ? ", " : "") << quoted(line.workers[st.needs[k].pool].name) << ": " << st.needs[k].count;
      out << "}\n";
    }
    if (st.scrap > 0) out << "    scrap: " << exact_text(st.scrap) << "\n";
    if (st.rework > 0)
      out << "    rework: {fraction: " << exact_text(st.rework)
          << ", to: " << quoted(line.stations[sim::idx(st.rework_to)].name) << "}\n";
    if (st.has_setups()) {
      // Every pair, so that the text reads back to the same matrix whatever `setup` was.
      const std::size_t np = line.products.size();
      out << "    setup_matrix:\n";
      for (std::size_t a = 0; a < np; ++a) {
        out << "      " << quoted(line.products[a].name) << ": {";
        bool first = true;
        for (std::size_t b = 0; b < np; ++b) {
          if (a == b) continue;
          out << (first ? "" : ", ") << quoted(line.products[b].name) << ": " << dist(st.setups[a * np + b]);
          first = false;
        }
        out << "}\n";
      }
    }
    if (st.has_power()) {
      using S = sim::MachineState;
      auto kw = [&](S s) { return exact_text(st.power[static_cast<int>(s)]); };
      out << "    power: {busy: " << kw(S::kBusy) << ", setup: " << kw(S::kSetup) << ", idle: " << kw(S::kStarved)
          << ", blocked: " << kw(S::kBlocked) << ", down: " << kw(S::kDown) << ", maintenance: "
          << kw(S::kMaintenance) << ", off: " << kw(S::kOff) << "}\n";
    }
    if (st.discipline != sim::Discipline::kFifo)
      out << "    discipline: " << (st.discipline == sim::Discipline::kPriority ? "priority" : "spt") << "\n";
    if (st.has_batch())
      out << "    batch: {size: " << st.batch.size
          << (st.batch.max_wait < sim::kInf ? ", max_wait: " + exact_text(st.batch.max_wait) : "") << "}\n";
    if (st.has_maintenance())
      out << "    maintenance: {every: " << exact_text(st.maintenance.every) << ", duration: " << dist(st.maintenance.duration)
          << (st.maintenance.by == sim::kNoPool ? "" : ", by: " + quoted(line.workers[st.maintenance.by].name)) << "}\n";
  }

  if (!line.transports.empty()) {
    out << "\ntransports:\n";
    for (std::size_t t = 0; t < line.transports.size(); ++t) {
      const auto& tr = line.transports[t];
      out << "  - {from: " << quoted(line.stations[sim::idx(tr.from)].name)
          << ", to: " << quoted(line.stations[sim::idx(tr.to)].name) << ", time: " << dist(tr.time)
          << ", capacity: " << count(tr.capacity) << "}\n";
    }
  }

  if (!sc.factors.empty()) {
    out << "\nfactors:\n";
    for (const auto& f : sc.factors) {
      out << "  - path: " << quoted(f.path) << "\n    range: [" << exact_text(f.lo) << ", " << exact_text(f.hi) << "]\n";
      if (f.integer) out << "    integer: true\n";
    }
  }

  if (sc.objective) {
    out << "\nobjective:\n  " << (sc.objective->maximize ? "maximize: " : "minimize: ") << sc.objective->kpi << "\n";
    if (!sc.objective->cost.empty()) {
      out << "  cost:\n";
      for (const auto& [path, c] : sc.objective->cost) out << "    " << quoted(path) << ": " << exact_text(c) << "\n";
    }
  }
  write_layout(out, sc);
  write_orders(out, sc);
  return out.str();
}

}  // namespace linetwin::scenarios
