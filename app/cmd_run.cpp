// `linetwin run` and `linetwin validate`.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/live_common.hpp"
#include "app/output_files.hpp"
#include "app/report.hpp"
#include "core/files.hpp"
#include "sim/estimate.hpp"
#include "sim/warnings.hpp"

namespace linetwin::cli {
namespace {

std::string csv_number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : ""; }

std::string csv_name(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<std::pair<std::string, std::string>> run_csv(const scenarios::Scenario& sc,
                                                         const sim::ExperimentResult& r) {
  std::ostringstream line, stations, products, workers, summary;
  workers << "replication,pool,count,utilization\n";
  line << "replication,throughput,lead_time,wip,lost,events,created,finished,lost_total,in_line,scrap,scrapped,"
          "power,energy_per_item,consumed\n";
  products << "replication,product,throughput,lead_time,wip,scrap,consumed\n";
  stations << "replication,station,machines,utilization,blocked,starved,down,queue,setup,waiting,maintenance,off,"
              "oee,power\n";
  for (size_t i = 0; i < r.reps.size(); ++i) {
    const auto& rep = r.reps[i];
    line << i << ',' << csv_number(rep.throughput) << ',' << csv_number(rep.lead_time) << ','
         << csv_number(rep.wip) << ',' << csv_number(rep.lost) << ',' << rep.events << ','
         << rep.created << ',' << rep.finished << ',' << rep.lost_total << ',' << rep.in_line << ','
         << csv_number(rep.scrap) << ',' << rep.scrapped << ',' << csv_number(rep.power) << ','
         << csv_number(rep.energy_per_item) << ',' << rep.consumed_total << '\n';
    for (size_t p = 0; p < rep.products.size(); ++p) {
      const auto& pr = rep.products[p];
      products << i << ',' << csv_name(sc.line.products[p].name) << ',' << csv_number(pr.throughput) << ','
               << csv_number(pr.lead_time) << ',' << csv_number(pr.wip) << ',' << csv_number(pr.scrap) << ','
               << csv_number(pr.consumed) << '\n';
    }
    for (size_t p = 0; p < rep.workers.size(); ++p)
      workers << i << ',' << csv_name(sc.line.workers[p].name) << ',' << sc.line.workers[p].count << ','
              << csv_number(rep.workers[p]) << '\n';
    for (size_t s = 0; s < rep.stations.size(); ++s) {
      const auto& st = rep.stations[s];
      stations << i << ',' << csv_name(sc.line.stations[s].name) << ',' << sc.line.stations[s].machines
               << ',' << csv_number(st.utilization) << ',' << csv_number(st.blocked) << ','
               << csv_number(st.starved) << ',' << csv_number(st.down) << ',' << csv_number(st.queue) << ','
               << csv_number(st.setup) << ',' << csv_number(st.waiting) << ',' << csv_number(st.maintenance) << ','
               << csv_number(st.off) << ',' << csv_number(st.oee) << ',' << csv_number(st.power) << '\n';
    }
  }
  summary << "station,kpi,mean,ci95_lo,ci95_hi\n";
  auto row = [&](const std::string& station, const char* kpi, const sim::Summary& s) {
    summary << csv_name(station) << ',' << kpi << ',' << csv_number(s.mean) << ','
            << csv_number(s.lo()) << ',' << csv_number(s.hi()) << '\n';
  };
  row("", "throughput", r.throughput);
  row("", "lead_time", r.lead_time);
  row("", "wip", r.wip);
  row("", "lost", r.lost);
  row("", "scrap", r.scrap);
  row("", "power", r.power);
  row("", "energy_per_item", r.energy_per_item);
  for (size_t s = 0; s < r.stations.size(); ++s) {
    const auto& n = sc.line.stations[s].name;
    row(n, "utilization", r.stations[s].utilization);
    row(n, "blocked", r.stations[s].blocked);
    row(n, "starved", r.stations[s].starved);
    row(n, "down", r.stations[s].down);
    row(n, "queue", r.stations[s].queue);
    row(n, "setup", r.stations[s].setup);
    row(n, "waiting", r.stations[s].waiting);
    row(n, "maintenance", r.stations[s].maintenance);
    row(n, "off", r.stations[s].off);
    row(n, "oee", r.stations[s].oee);
    row(n, "power", r.stations[s].power);
  }
  for (size_t p = 0; p < r.workers.size(); ++p) row("workers." + sc.line.workers[p].name, "utilization", r.workers[p]);
  return {{"line.csv", line.str()},
          {"stations.csv", stations.str()},
          {"products.csv", products.str()},
          {"workers.csv", workers.str()},
          {"summary.csv", summary.str()}};
}

}  // namespace

int fail(const Error& e) {
  std::fprintf(stderr, "error: %s\n", e.message().c_str());
  return e.system ? 1 : 2;
}

Result<bool> check_run_size(const scenarios::Scenario& sc, double runs) {
  // Past about 1e12 events a run takes hours to days at the kernel's tens of millions of events
  // a second: that is a mistyped time far more often than a plan.
  constexpr double kMaxEvents = 1e12;
  const auto e = sim::estimate_events(sc.line, sc.run);
  const double events = e.events * runs;
  if (!(events <= kMaxEvents))
    return Error::in(sc.file, "this would simulate about " + fmt(events, 2) + " events, more than can finish in reason (" +
                                  fmt(kMaxEvents, 2) + " take hours); check " + e.culprit +
                                  ", or shorten the horizon or the replications");
  if (events > 2e9 && isatty(STDERR_FILENO))
    std::fprintf(stderr, "linetwin: about %s events to simulate; at tens of millions of events a second per core this "
                         "takes a while, and the progress bar shows how far it is\n", fmt(events, 2).c_str());
  return true;
}

Result<sim::ExperimentResult> run_scenario(const scenarios::Scenario& sc, const std::string& label) {
  if (auto ok = check_run_size(sc, 1); !ok) return ok.error();
  Progress progress(label);
  auto r = sim::run_experiment(sc.line, sc.run,
                               [&](double f) { progress.update(f); });
  if (r.unstable)
    return Error::in(sc.file, "the line is unstable: it held more than " + std::to_string(sc.run.max_items) +
                     " items, so arrivals outpace what the stations can finish; slow the sources, "
                     "add machines or bound the first buffer");
  return r;
}

int cmd_run(const Args& args) {
  if (args.positional.size() != 1)
    return fail(Error::in("linetwin run", "expects one scenario file, e.g. 'linetwin run scenarios/bottling_line.yaml'"));
  auto sc = load_for_run(args, args.positional[0]);
  if (!sc) return fail(sc.error());
  const auto out_dir = args.value("out");
  if (out_dir)
    if (auto ok = prepare_output_dir(*out_dir, "run"); !ok) return fail(ok.error());
  const auto trace = args.value("trace");
  if (trace)
    if (auto ok = check_writable_file(*trace); !ok) return fail(ok.error());

  auto r = run_scenario(*sc, "simulating");
  if (!r) return fail(r.error());
  if (out_dir)
    if (auto ok = write_files_whole(*out_dir, run_csv(*sc, *r)); !ok) return fail(ok.error());
  if (trace) {  // replication 0 again, recorded event by event (docs/trace_format.md)
    auto events = record_trace(*sc, *trace);
    if (!events) return fail(events.error());
    std::fprintf(stderr, "Recorded %llu events of replication 0 in %s\n", static_cast<unsigned long long>(*events),
                 trace->c_str());
  }
  for (const auto& w : run_warnings(*sc, *r)) std::fprintf(stderr, "warning: %s\n", w.c_str());
  if (args.has("json"))
    std::cout << json_text(run_json(*sc, *r));
  else
    std::cout << run_table(*sc, *r);
  if (out_dir && !args.has("json"))
    std::cout << "Wrote line.csv, stations.csv, products.csv and summary.csv to " << *out_dir << "\n";
  return 0;
}

int cmd_validate(const Args& args) {
  if (args.positional.size() != 1)
    return fail(Error::in("linetwin validate", "expects one scenario file"));
  auto overrides = overrides_of(args);
  if (!overrides) return fail(overrides.error());
  auto sc = scenarios::load_scenario(args.positional[0], *overrides);
  if (!sc) return fail(sc.error());
  const auto& l = sc->line;
  auto count = [](size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); };
  std::cout << sc->file << ": valid. '" << l.name << "': " << count(l.products.size(), "product", "products") << ", "
            << count(l.sources.size(), "source", "sources") << ", " << count(l.stations.size(), "station", "stations")
            << ", " << count(l.transports.size(), "transport", "transports") << ", "
            << count(sc->factors.size(), "factor", "factors") << "; "
            << count(sc->run.replications, "replication", "replications") << " of " << fmt(sc->run.horizon, 6) << " "
            << unit_name(l.time_unit) << " after " << fmt(sc->run.warmup, 6) << " " << unit_name(l.time_unit)
            << " of warm-up.\n";
  for (const auto& w : sim::line_warnings(l)) std::cout << "warning: " << w << "\n";
  return 0;
}

}  // namespace linetwin::cli
