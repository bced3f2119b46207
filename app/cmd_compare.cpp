// `linetwin compare A.yaml [B.yaml] [--set PATH=VALUE]...`: two scenarios run with common random
// numbers, each KPI's difference B - A with a paired 95% interval.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/report.hpp"

namespace linetwin::cli {

namespace {

struct Diff {
  std::string name;   // "throughput", "m1 utilization" or "bike lead_time"
  std::string group;  // where --json puts it: "kpis", "stations", "workers" or "products"
  std::string owner;  // the station or product ("" for the line's KPIs)
  std::string field;  // the figure's key in --json
  sim::Summary a, b, d;
  bool significant() const { return std::isfinite(d.half_width) && (d.lo() > 0 || d.hi() < 0); }
};

// How many of A's units one of B's figure `kpi` is worth: a rate per B-unit or a time in B-units
// read in A's unit, so that two scenarios written in different units compare like with like.
double in_units_of_a(const std::string& kpi, TimeUnit a, TimeUnit b) {
  if (kpi == "throughput" || kpi == "lost" || kpi == "scrap") return seconds_in(a) / seconds_in(b);  // per unit
  if (kpi == "lead_time") return seconds_in(b) / seconds_in(a);                     // a time
  return 1.0;                                                                        // counts, fractions
}

std::vector<Diff> differences(const scenarios::Scenario& sa, const sim::ExperimentResult& ra,
                              const scenarios::Scenario& sb, const sim::ExperimentResult& rb) {
  std::vector<Diff> out;
  auto add = [&](std::string group, std::string owner, std::string field, auto get_a, auto get_b) {
    std::vector<double> va, vb;
    for (const auto& r : ra.reps) va.push_back(get_a(r));
    for (const auto& r : rb.reps) vb.push_back(get_b(r));
    std::string name = owner.empty() ? field : owner + " " + field;
    out.push_back({std::move(name), std::move(group), std::move(owner), std::move(field), sim::summarize(va),
                   sim::summarize(vb), sim::summarize_difference(va, vb)});
  };
  std::vector<std::string> kpis = sim::kpi_names();
  if (sa.line.has_quality() || sb.line.has_quality()) kpis.push_back("scrap");
  if (sa.line.has_power() || sb.line.has_power()) kpis.insert(kpis.end(), {"power", "energy_per_item"});
  for (const auto& k : kpis) {
    const double to_a = in_units_of_a(k, sa.line.time_unit, sb.line.time_unit);
    add("kpis", "", k, [&](const sim::RepResult& r) { return sim::kpi_value(r, k); },
        [&](const sim::RepResult& r) { return sim::kpi_value(r, k) * to_a; });
  }
  for (size_t i = 0; i < sa.line.stations.size(); ++i)
    for (size_t j = 0; j < sb.line.stations.size(); ++j) {
      if (sa.line.stations[i].name != sb.line.stations[j].name) continue;
      const auto& n = sa.line.stations[i].name;
      const sim::StationDef &da = sa.line.stations[i], &db = sb.line.stations[j];
      add("stations", n, "utilization", [i](const sim::RepResult& r) { return r.stations[i].utilization; },
          [j](const sim::RepResult& r) { return r.stations[j].utilization; });
      // A state's row where the station can be in it, in A or in B: a column of zeros for every
      // station of a line where one station changes over would hide the one that matters.
      if (da.has_setups() || db.has_setups())
        add("stations", n, "setup", [i](const sim::RepResult& r) { return r.stations[i].setup; },
            [j](const sim::RepResult& r) { return r.stations[j].setup; });
      if (da.has_needs() || db.has_needs())
        add("stations", n, "waiting", [i](const sim::RepResult& r) { return r.stations[i].waiting; },
            [j](const sim::RepResult& r) { return r.stations[j].waiting; });
      if (da.has_maintenance() || db.has_maintenance())
        add("stations", n, "maintenance", [i](const sim::RepResult& r) { return r.stations[i].maintenance; },
            [j](const sim::RepResult& r) { return r.stations[j].maintenance; });
      if (sa.line.calendar_of(da) != sim::kNoCalendar || sb.line.calendar_of(db) != sim::kNoCalendar)
        add("stations", n, "off", [i](const sim::RepResult& r) { return r.stations[i].off; },
            [j](const sim::RepResult& r) { return r.stations[j].off; });
      add("stations", n, "queue", [i](const sim::RepResult& r) { return r.stations[i].queue; },
          [j](const sim::RepResult& r) { return r.stations[j].queue; });
      add("stations", n, "oee", [i](const sim::RepResult& r) { return r.stations[i].oee; },
          [j](const sim::RepResult& r) { return r.stations[j].oee; });
    }
  for (size_t i = 0; i < sa.line.workers.size(); ++i)
    for (size_t j = 0; j < sb.line.workers.size(); ++j)
      if (sa.line.workers[i].name == sb.line.workers[j].name)
        add("workers", sa.line.workers[i].name, "utilization", [i](const sim::RepResult& r) { return r.workers[i]; },
            [j](const sim::RepResult& r) { return r.workers[j]; });
  // Per product, where a line makes several: a change for one product may cost another.
  if (sa.line.products.size() > 1 || sb.line.products.size() > 1)
    for (size_t i = 0; i < sa.line.products.size(); ++i)
      for (size_t j = 0; j < sb.line.products.size(); ++j) {
        if (sa.line.products[i].name != sb.line.products[j].name) continue;
        const auto& n = sa.line.products[i].name;
        const double rate = in_units_of_a("throughput", sa.line.time_unit, sb.line.time_unit);
        const double time = in_units_of_a("lead_time", sa.line.time_unit, sb.line.time_unit);
        add("products", n, "throughput", [i](const sim::RepResult& r) { return r.products[i].throughput; },
            [j, rate](const sim::RepResult& r) { return r.products[j].throughput * rate; });
        add("products", n, "lead_time", [i](const sim::RepResult& r) { return r.products[i].lead_time; },
            [j, time](const sim::RepResult& r) { return r.products[j].lead_time * time; });
      }
  return out;
}

}  // namespace

int cmd_compare(const Args& args) {
  const auto& pos = args.positional;
  if (pos.empty() || pos.size() > 2)
    return fail(Error::in("linetwin compare", "expects one or two scenario files: 'compare A.yaml B.yaml', or 'compare "
                      "A.yaml --set PATH=VALUE' to compare A with a changed copy of itself"));
  if (pos.size() == 1 && !args.has("set"))
    return fail(Error::in("linetwin compare", "with one scenario, give at least one --set PATH=VALUE to say what changes"));
  // --set changes B only; A is the baseline as written. Run settings come from A for both.
  Args a_args = args;
  a_args.values.erase("set");
  auto a = load_for_run(a_args, pos[0]);
  if (!a) return fail(a.error());
  auto b = load_for_run(args, pos.size() == 2 ? pos[1] : pos[0]);
  if (!b) return fail(b.error());
  // B runs as long as A in real time (A's horizon and warm-up, in B's unit when B is written in
  // another), and its figures are reported in A's unit.
  b->run = a->run;
  b->run.horizon = convert_time(a->run.horizon, a->line.time_unit, b->line.time_unit);
  b->run.warmup = convert_time(a->run.warmup, a->line.time_unit, b->line.time_unit);

  auto ra = run_scenario(*a, "simulating A");
  if (!ra) return fail(ra.error());
  auto rb = run_scenario(*b, "simulating B");
  if (!rb) return fail(rb.error());
  const auto diffs = differences(*a, *ra, *b, *rb);

  std::string label_b = pos.size() == 2 ? b->line.name : a->line.name + " (changed)";
  if (args.has("json")) {
    auto one = [](const Diff& d) {
      Json o;
      o["a"] = summary_json(d.a);
      o["b"] = summary_json(d.b);
      o["difference"] = summary_json(d.d);
      o["significant"] = d.significant();
      return o;
    };
    Json o;
    o["a"] = {{"scenario", a->line.name}, {"file", a->file}};
    o["b"] = {{"scenario", label_b}, {"file", b->file}};
    o["replications"] = a->run.replications;
    o["seed"] = a->run.seed;
    o["time_unit"] = unit_name(a->line.time_unit);
    o["kpis"] = Json::object();
    o["stations"] = Json::object();
    for (const auto& d : diffs) {
      if (d.owner.empty())
        o[d.group][d.field] = one(d);
      else
        o[d.group][d.owner][d.field] = one(d);
    }
    std::cout << json_text(o);
    return 0;
  }
  std::ostringstream o;
  o << "A: " << a->line.name << " (" << a->file << ")\nB: " << label_b << " (" << b->file << ")\n"
    << a->run.replications << " replications each with common random numbers (seed " << a->run.seed
    << "); differences are B - A with paired 95% intervals.\n";
  if (a->line.time_unit != b->line.time_unit)
    o << "B is written in " << unit_name(b->line.time_unit) << "; it ran for A's horizon and its figures are shown in "
      << unit_name(a->line.time_unit) << ", as A's.\n";
  o << "\n";
  size_t w = 12;
  for (const auto& d : diffs) w = std::max(w, d.name.size() + 2);
  auto padded = [](std::string s, size_t n) { if (s.size() < n) s.append(n - s.size(), ' '); return s; };
  o << padded("KPI", w) << padded("A", 12) << padded("B", 12) << padded("B - A", 12)
    << padded("95% interval", 26) << "\n";
  for (const auto& d : diffs) {
    std::string ci = std::isfinite(d.d.half_width) ? "[" + fmt(d.d.lo()) + ", " + fmt(d.d.hi()) + "]" : "-";
    o << padded(d.name, w) << padded(fmt(d.a.mean), 12) << padded(fmt(d.b.mean), 12)
      << padded(fmt(d.d.mean), 12) << padded(ci, 26)
      << (d.significant() ? "significant" : "not significant") << "\n";
  }
  std::cout << o.str();
  return 0;
}

}  // namespace linetwin::cli
