// `linetwin optimize SCENARIO [--budget N] [--method M] [--surrogate MODEL] [--json]`: the best
// setting of the scenario's factors for its objective, confirmed by the simulator against the
// scenario's own setting.
#include <cmath>
#include <iostream>
#include <sstream>

#include "optimize/line_search.hpp"
#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/report.hpp"
#include "app/sweep_common.hpp"
#include "app/text_table.hpp"

namespace linetwin::cli {
namespace {

std::vector<double> kpi_values(const sim::ExperimentResult& r, const std::string& kpi) {
  std::vector<double> v;
  for (const auto& rep : r.reps) v.push_back(sim::kpi_value(rep, kpi));
  return v;
}

Json kpis_json(const sim::ExperimentResult& r) {
  Json o = Json::object();
  for (const auto& k : sim::kpi_names()) o[k] = summary_json(sim::summarize(kpi_values(r, k)));
  return o;
}

Json factors_json(const std::vector<scenarios::Factor>& factors, const std::vector<double>& x) {
  Json o = Json::object();
  for (size_t j = 0; j < factors.size(); ++j) o[factors[j].path] = factor_json(factors[j], x[j]);
  return o;
}

// {"factors": {PATH: V}, "objective": V, "kpis": {...}} of one evaluated setting.
Json setting_json(const std::vector<scenarios::Factor>& factors, const std::vector<double>& x, double objective,
                  const sim::ExperimentResult& r) {
  Json o;
  o["factors"] = factors_json(factors, x);
  o["objective"] = objective;
  o["kpis"] = kpis_json(r);
  return o;
}

std::string shell_quote(const std::string& s) {
  if (s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/=+") == std::string::npos) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// --budget and --method; the method left at its default when not given (cmd_optimize decides).
Result<optimize::LineSearchOptions> search_options(const Args& args) {
  optimize::LineSearchOptions options;
  auto budget = uint_flag(args, "budget", 1, 1'000'000, options.budget);
  if (!budget) return budget.error();
  options.budget = *budget;
  if (auto m = args.value("method")) {
    auto method = optimize::line_method(*m);
    if (!method)
      return Error::in("linetwin optimize", "option '--method' expects grid, random, anneal, ga or gradient, got '" + *m + "'");
    options.method = *method;
  }
  return options;
}

// The objective's paired difference best - baseline over the replications: the costs are
// constants per setting, so they shift every pair alike.
sim::Summary objective_difference(const optimize::LineSearchResult& r, const scenarios::Objective& obj) {
  std::vector<double> a = kpi_values(r.baseline.result, obj.kpi), b = kpi_values(r.best.result, obj.kpi);
  const double shift = r.best.objective - r.baseline.objective - (sim::summarize(b).mean - sim::summarize(a).mean);
  std::vector<double> d;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) d.push_back(b[i] - a[i] + shift);
  return sim::summarize(d);
}

// What `optimize` reports, for the JSON and the text.
struct OptimizeReport {
  const scenarios::Scenario& sc;
  const optimize::LineSearchResult& r;
  uint64_t budget;
  sim::Summary diff;
  bool significant;
};

Json optimize_json(const OptimizeReport& rep) {
  const auto& [sc, r, budget, diff, significant] = rep;
  Json o;
  o["best"] = setting_json(sc.factors, r.best.x, r.best.objective, r.best.result);
  o["baseline"] = setting_json(sc.factors, r.baseline.x, r.baseline.objective, r.baseline.result);
  o["evaluations"] = r.evaluations;
  o["surrogate_samples"] = r.surrogate_samples;
  o["method"] = optimize::line_method_name(r.method);
  o["budget"] = budget;
  o["objective"] = {{"kpi", sc.objective->kpi}, {"maximize", sc.objective->maximize}};
  o["difference"] = summary_json(diff);
  o["replications"] = sc.run.replications;
  o["wall_s"] = r.wall_s;
  return o;
}

std::string with_interval(const sim::Summary& s) {
  return fmt(s.mean) + (std::isfinite(s.half_width) ? " ±" + fmt(s.half_width, 2) : "");
}

// Factors, objective and KPIs of the best setting beside the scenario's own.
std::string settings_table(const scenarios::Scenario& sc, const optimize::LineSearchResult& r) {
  // Columns as wide as their widest cell: factor paths can be long (stations.NAME.process.mean).
  TextTable table({{"factor", TextTable::Align::kLeft}, {"best"}, {"scenario"}}, "  ");
  for (size_t j = 0; j < sc.factors.size(); ++j)
    table.add({sc.factors[j].path, fmt(r.best.x[j], 6), fmt(r.baseline.x[j], 6)});
  table.add({"objective", fmt(r.best.objective), fmt(r.baseline.objective)});
  for (const auto& k : sim::kpi_names())
    table.add({k, with_interval(sim::summarize(kpi_values(r.best.result, k))),
               with_interval(sim::summarize(kpi_values(r.baseline.result, k)))});
  return table.str();
}

std::string optimize_text(const OptimizeReport& rep) {
  const auto& [sc, r, budget, diff, significant] = rep;
  const auto& obj = *sc.objective;
  std::ostringstream o;
  o << "Optimized '" << sc.line.name << "': " << (obj.maximize ? "maximize " : "minimize ") << obj.kpi
    << (obj.cost.empty() ? "" : obj.maximize ? " minus costs" : " plus costs") << ", " << optimize::line_method_name(r.method)
    << " search, " << r.evaluations << " simulator runs of " << sc.run.replications << " replications";
  if (r.surrogate_samples) o << " (" << r.surrogate_samples << " of them to train a surrogate)";
  o << " in " << fmt(r.wall_s, 3) << " s\n\n";
  o << settings_table(sc, r);
  o << "\nObjective, best minus the scenario's setting: " << with_interval(diff)
    << (significant ? " (significant: the paired 95% interval excludes 0)" : " (not significant at 95%)") << "\n";
  o << "Both settings simulated with the scenario's replications and seed (± is the 95% half-width); to check:\n  linetwin run "
    << shell_quote(sc.file);
  for (size_t j = 0; j < sc.factors.size(); ++j) {
    const auto ov = scenarios::factor_override(sc.factors[j].path, r.best.x[j]);
    o << " --set " << shell_quote(ov.path + "=" + ov.value);
  }
  o << "\n";
  return o.str();
}

}  // namespace

int cmd_optimize(const Args& args) {
  if (args.positional.size() != 1)
    return fail(Error::in("linetwin optimize", "expects one scenario file with factors and an objective, e.g. 'linetwin optimize scenarios/bottling_line.yaml'"));
  auto parsed = search_options(args);
  if (!parsed) return fail(parsed.error());
  optimize::LineSearchOptions options = *parsed;
  auto sampler = open_sampler(args, args.positional[0]);
  if (!sampler) return fail(sampler.error());
  const auto& sc = sampler->scenario();
  if (!sc.objective)
    return fail(Error::at_key(sc.file, "objective", "the scenario has no objective to optimize; add one such as objective: {maximize: throughput}"));
  std::optional<surrogates::SurrogateModel> model;
  if (auto path = args.value("surrogate")) {
    auto m = surrogates::SurrogateModel::load(*path);
    if (!m) return fail(m.error());
    model = std::move(*m);
    options.surrogate = &*model;
  }
  if (!args.has("method") && !model && options.budget < optimize::kMinGradientBudget)
    options.method = optimize::LineMethod::kAnneal;  // too few runs to train a surrogate
  options.seed = sc.run.seed;
  options.threads = sc.run.threads;
  Progress progress("optimizing");
  options.progress = [&](double f) { progress.update(f); };
  auto r = optimize::optimize_line(*sampler, options);
  if (!r) return fail(r.error());

  const sim::Summary diff = objective_difference(*r, *sc.objective);
  const bool significant = std::isfinite(diff.half_width) && (diff.lo() > 0 || diff.hi() < 0);
  const OptimizeReport report{sc, *r, options.budget, diff, significant};
  std::cout << (args.has("json") ? json_text(optimize_json(report)) : optimize_text(report));
  return 0;
}

}  // namespace linetwin::cli
