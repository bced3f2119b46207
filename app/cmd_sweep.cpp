// `linetwin sweep SCENARIO --samples N [--design lhs|grid|random] [--out data.csv]`: the
// simulator over a design of the scenario's factors, one CSV row per point.
#include <chrono>
#include <cmath>
#include <iostream>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/output_files.hpp"
#include "app/report.hpp"
#include "app/sweep_common.hpp"
#include "core/files.hpp"

namespace linetwin::cli {

int cmd_sweep(const Args& args) {
  if (args.positional.size() != 1)
    return fail(Error::in("linetwin sweep", "expects one scenario file, e.g. 'linetwin sweep scenarios/bottling_line.yaml --samples 200 --out data.csv'"));
  if (!args.has("samples"))
    return fail(Error::in("linetwin sweep", "expects --samples N, the number of points to simulate"));
  auto d = open_design(args);
  if (!d) return fail(d.error());
  const auto out = args.value("out");
  if (out && out->empty()) return fail(Error::in("linetwin sweep", "option '--out' expects a file name"));

  const auto t0 = std::chrono::steady_clock::now();
  std::string note;
  auto data = run_sweep(d->sampler, d->kind, d->samples, "sweeping", &note);
  if (!data) return fail(data.error());
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  size_t unstable = 0;
  for (size_t i = 0; i < data->rows(); ++i) unstable += std::isnan(data->mean[i * data->kpis.size()]);
  const std::string csv = surrogates::dataset_csv(*data);
  if (out) {
    if (auto ok = write_file_whole(*out, csv); !ok) return fail(ok.error());
  } else if (!args.has("json")) {
    std::cout << csv;
    return 0;
  }
  if (args.has("json")) {
    Json o;
    o["points"] = data->rows();
    o["design"] = surrogates::design_name(d->kind);
    o["replications"] = d->sampler.run().replications;
    o["unstable"] = unstable;
    o["wall_s"] = wall;
    o["out"] = out ? Json(*out) : Json();
    std::cout << json_text(o);
    return 0;
  }
  std::cout << "Simulated " << data->rows() << " points (" << (note.empty() ? surrogates::design_name(d->kind) : note)
            << ") over " << data->factors.size() << " factors of '" << d->sampler.scenario().line.name << "', "
            << d->sampler.run().replications << " replications each, in " << fmt(wall, 3) << " s; wrote " << *out << "\n";
  if (unstable) std::cout << unstable << " points were unstable (the line overflowed); their KPI cells are empty.\n";
  return 0;
}

}  // namespace linetwin::cli
