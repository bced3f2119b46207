// `linetwin surrogate train|predict|eval`: neural surrogates of a line, trained on simulated
// points, predicting KPIs in microseconds, scored on any dataset.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <sstream>

#include "core/files.hpp"
#include "surrogates/model.hpp"
#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/output_files.hpp"
#include "app/report.hpp"
#include "app/sweep_common.hpp"

namespace linetwin::cli {
namespace {

Json scores_json(const std::vector<surrogates::KpiScore>& scores) {
  Json o = Json::object();
  for (const auto& s : scores) o[s.kpi] = {{"r2", s.r2}, {"mape", s.mape}};
  return o;
}

std::string scores_table(const std::vector<surrogates::KpiScore>& scores) {
  std::ostringstream o;
  o << "  KPI           R^2       MAPE\n";
  for (const auto& s : scores) {
    o << fmt::format("  {:<12}  {:<8}  {}\n", s.kpi, std::isfinite(s.r2) ? fmt(s.r2, 4) : "-",
                     std::isfinite(s.mape) ? fmt(s.mape, 3) + "%" : "-");
  }
  o << "  (R^2: 1 is perfect, 0 no better than the mean; MAPE: mean absolute error in % of the value;\n"
       "   '-' where a KPI does not vary or is zero)\n";
  return o.str();
}

}  // namespace

int cmd_surrogate_train(const Args& args) {
  const std::string cmd = "surrogate train";
  const std::string where = "linetwin " + cmd;
  if (args.positional.size() != 1)
    return fail(Error::in(where, "expects one scenario file, e.g. 'linetwin surrogate train "
                                       "scenarios/bottling_line.yaml --samples 500 --out bottling.model'"));
  const auto out = args.value("out");
  if (!out || out->empty()) return fail(Error::in(where, "expects --out MODEL, the file to save the model to"));
  const auto data_file = args.value("data");
  if (data_file && args.has("samples"))
    return fail(Error::in(where, "give --samples N (simulate) or --data FILE.csv (points already simulated), not both"));
  if (!data_file && !args.has("samples"))
    return fail(Error::in(where, "expects --samples N, the number of points to simulate (or --data FILE.csv)"));
  auto d = open_design(args);
  if (!d) return fail(d.error());
  const auto& sc = d->sampler.scenario();

  const auto t0 = std::chrono::steady_clock::now();
  Result<surrogates::Dataset> data = data_file ? surrogates::read_dataset_csv(*data_file)
                                               : run_sweep(d->sampler, d->kind, d->samples, "simulating", nullptr);
  if (!data) return fail(data.error());
  if (data_file)
    for (const auto& f : sc.factors)
      if (data->factor_index(f.path) < 0)
        return fail(Error::at(*data_file, 1, 0, f.path, "the data has no column for this factor of the scenario"));
  const double simulate_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  surrogates::ModelInfo info = surrogates::model_info(sc);
  surrogates::TrainOptions options;
  options.seed = sc.run.seed;
  surrogates::TrainReport report;
  auto model = surrogates::SurrogateModel::train(info, *data, options, &report);
  if (!model) return fail(model.error());
  if (auto ok = write_file_whole(*out, model->to_bytes()); !ok) return fail(ok.error());

  if (args.has("json")) {
    Json o;
    o["samples"] = data->rows();
    o["train_s"] = report.train_s;
    o["simulate_s"] = data_file ? 0.0 : simulate_s;
    o["points"] = {{"train", report.train}, {"validation", report.validation}, {"holdout", report.holdout},
                   {"dropped", report.dropped}};
    o["epochs"] = report.epochs;
    o["holdout"] = scores_json(report.holdout_scores);
    o["out"] = *out;
    std::cout << json_text(o);
    return 0;
  }
  std::cout << "Trained a surrogate of '" << sc.line.name << "' on " << data->rows() << " points";
  if (data_file)
    std::cout << " from " << *data_file;
  else
    std::cout << " (" << surrogates::design_name(d->kind) << ", " << sc.run.replications << " replications each, simulated in "
              << fmt(simulate_s, 3) << " s)";
  std::cout << "; training took " << fmt(report.train_s, 3) << " s (" << report.epochs << " epochs, the best at "
            << report.best_epoch << "). Saved to " << *out << ".\n";
  if (report.dropped) std::cout << report.dropped << " points without KPIs (unstable) were left out.\n";
  std::cout << "\nOn " << report.holdout << " points kept out of training:\n" << scores_table(report.holdout_scores);
  return 0;
}

int cmd_surrogate_predict(const Args& args) {
  const std::string cmd = "surrogate predict";
  if (args.positional.size() != 1)
    return fail(Error::in("linetwin " + cmd, "expects one model file, e.g. 'linetwin surrogate predict "
                                                   "bottling.model --set stations.filler.buffer=60'"));
  auto model = surrogates::SurrogateModel::load(args.positional[0]);
  if (!model) return fail(model.error());
  const auto& info = model->info();
  std::vector<double> x;
  std::vector<bool> set(info.factors.size(), false);
  for (const auto& f : info.factors) x.push_back(f.base);
  auto overrides = overrides_of(args);
  if (!overrides) return fail(overrides.error());
  for (const auto& o : *overrides) {
    size_t j = 0;
    while (j < info.factors.size() && info.factors[j].path != o.path) ++j;
    if (j == info.factors.size()) {
      std::string names;
      for (const auto& f : info.factors) names += (names.empty() ? "" : ", ") + f.path;
      return fail(Error::at_key("--set", o.path, "not a factor of the model; its factors are " + names));
    }
    auto v = parse_time(o.value, info.time_unit);
    if (!v) return fail(Error::at_key("--set", o.path, "expected a number, got '" + o.value + "'"));
    x[j] = *v;
    set[j] = true;
  }
  if (auto e = model->check_point(x.data(), args.has("extrapolate"), "--set")) return fail(*e);
  const std::vector<double> y = model->predict(x);
  if (args.has("json")) {
    Json o;
    Json& kpis = o["kpis"] = Json::object();
    for (size_t k = 0; k < info.kpis.size(); ++k) kpis[info.kpis[k]] = y[k];
    Json& factors = o["factors"] = Json::object();
    for (size_t j = 0; j < info.factors.size(); ++j) factors[info.factors[j].path] = factor_json(info.factors[j], x[j]);
    std::cout << json_text(o);
    return 0;
  }
  std::cout << "Surrogate of '" << info.scenario << "' (" << info.samples << " simulated points)\n";
  for (size_t j = 0; j < info.factors.size(); ++j)
    std::cout << "  " << info.factors[j].path << " = " << fmt(x[j], 6) << (set[j] ? "" : " (the scenario's value)") << "\n";
  std::cout << "predicts\n";
  for (size_t k = 0; k < info.kpis.size(); ++k) std::cout << "  " << info.kpis[k] << " " << fmt(y[k]) << "\n";
  std::cout << "(times in " << unit_name(info.time_unit) << "; a prediction, not a simulation: check a decision with 'linetwin run')\n";
  return 0;
}

int cmd_surrogate_eval(const Args& args) {
  const std::string cmd = "surrogate eval";
  if (args.positional.size() != 1 || !args.has("data"))
    return fail(Error::in("linetwin " + cmd, "expects a model file and --data FILE.csv, e.g. 'linetwin "
                                                   "surrogate eval bottling.model --data data.csv'"));
  auto model = surrogates::SurrogateModel::load(args.positional[0]);
  if (!model) return fail(model.error());
  const std::string file = *args.value("data");
  auto data = surrogates::read_dataset_csv(file);
  if (!data) return fail(data.error());
  auto scores = surrogates::score(*model, *data, file);
  if (!scores) return fail(scores.error());
  if (args.has("json")) {
    Json o;
    o["points"] = data->rows();
    o["scores"] = scores_json(*scores);
    std::cout << json_text(o);
    return 0;
  }
  std::cout << "Surrogate of '" << model->info().scenario << "' on the " << data->rows() << " points of " << file << ":\n"
            << scores_table(*scores);
  return 0;
}

}  // namespace linetwin::cli
