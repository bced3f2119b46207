#include "surrogates/sampling.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

namespace linetwin::surrogates {
namespace {

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text(scenarios::kMaxScenarioBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return std::nullopt;
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

Error no_factors(const std::string& file) {
  return Error::at_key(file, "factors", "the scenario has no factors to vary; add a list such as factors: [{path: "
               "stations.m1.machines, range: [1, 4], integer: true}]");
}

}  // namespace

Result<ScenarioSampler> ScenarioSampler::open(const scenarios::Scenario& loaded,
                                              const std::vector<scenarios::Override>& overrides) {
  if (loaded.factors.empty()) return no_factors(loaded.file);
  auto text = read_text(loaded.file);
  if (!text) return Error::in(loaded.file, std::string("cannot read file: ") + std::strerror(errno));
  ScenarioSampler s;
  s.base_ = loaded;
  s.text_ = std::move(*text);
  s.overrides_ = overrides;
  return s;
}

Result<ScenarioSampler> ScenarioSampler::from_text(const std::string& text, const std::string& file,
                                                   const sim::RunDef* run) {
  auto sc = scenarios::parse_scenario(text, file);
  if (!sc) return sc.error();
  if (sc->factors.empty()) return no_factors(file);
  ScenarioSampler s;
  s.base_ = std::move(*sc);
  if (run) s.base_.run = *run;
  s.text_ = text;
  return s;
}

std::string ScenarioSampler::describe(const double* x) const {
  std::string out;
  for (size_t j = 0; j < base_.factors.size(); ++j) {
    const auto o = scenarios::factor_override(base_.factors[j].path, x[j]);
    out += (j ? ", " : "") + o.path + "=" + o.value;
  }
  return out;
}

Result<scenarios::Scenario> ScenarioSampler::at(const double* x) const {
  std::vector<scenarios::Override> all = overrides_;
  for (size_t j = 0; j < base_.factors.size(); ++j)
    all.push_back(scenarios::factor_override(base_.factors[j].path, x[j]));
  auto sc = scenarios::parse_scenario(text_, base_.file, all);
  if (!sc) {
    Error e = sc.error();
    e.what = "at the point " + describe(x) + ": " + e.what;
    return e;
  }
  sc->run = base_.run;
  return sc;
}

Result<sim::ExperimentResult> ScenarioSampler::simulate(const double* x, uint32_t threads) const {
  auto sc = at(x);
  if (!sc) return sc.error();
  sim::RunDef run = sc->run;
  run.threads = threads;
  return sim::run_experiment(sc->line, run);
}

void kpi_row(const sim::ExperimentResult& r, double* mean, double* ci95) {
  const auto& names = sim::kpi_names();
  std::vector<double> values(r.reps.size());
  for (size_t k = 0; k < names.size(); ++k) {
    if (r.unstable || r.reps.empty()) {
      mean[k] = ci95[k] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    for (size_t i = 0; i < r.reps.size(); ++i) values[i] = sim::kpi_value(r.reps[i], names[k]);
    const sim::Summary s = sim::summarize(values);
    mean[k] = s.mean;
    ci95[k] = s.half_width;
  }
}

Result<Dataset> sweep(const ScenarioSampler& sampler, const Design& design, uint32_t threads,
                      const sim::ProgressFn& progress) {
  const size_t n = design.points(), nk = sim::kpi_names().size();
  if (n == 0)
    return Error::in(sampler.scenario().file, "the design has no points; ask for at least one sample");
  Dataset d;
  for (const auto& f : sampler.factors()) d.factors.push_back(f.path);
  d.kpis = sim::kpi_names();
  d.x = design.x;
  d.mean.assign(n * nk, 0);
  d.ci95.assign(n * nk, 0);

  const uint32_t cores = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  // Few points with many replications: one point at a time, its replications in parallel.
  const bool by_point = n >= cores;
  const uint32_t workers = by_point ? std::min<uint32_t>(cores, static_cast<uint32_t>(n)) : 1;
  std::atomic<size_t> next{0}, done{0};
  std::atomic<bool> stop{false};
  std::mutex error_mutex;
  std::optional<Error> first_error;
  size_t first_error_at = n;
  auto worker = [&] {
    for (size_t i; !stop && (i = next.fetch_add(1)) < n;) {
      auto r = sampler.simulate(design.row(i), by_point ? 1 : cores);
      if (!r) {
        std::lock_guard lock(error_mutex);
        if (i < first_error_at) first_error = r.error(), first_error_at = i;
        stop = true;
        break;
      }
      kpi_row(*r, &d.mean[i * nk], &d.ci95[i * nk]);
      const size_t k = done.fetch_add(1) + 1;
      if (progress) progress(static_cast<double>(k) / static_cast<double>(n));
    }
  };
  if (workers == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (uint32_t t = 0; t < workers; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  if (first_error) return *first_error;
  return d;
}

}  // namespace linetwin::surrogates
