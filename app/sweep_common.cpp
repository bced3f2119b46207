#include "app/sweep_common.hpp"

#include "app/commands.hpp"
#include "app/report.hpp"

namespace linetwin::cli {

Result<surrogates::DesignKind> design_flag(const Args& args) {
  const std::string name = args.value("design").value_or("lhs");
  auto kind = surrogates::design_kind(name);
  if (!kind)
    return Error::in("linetwin " + args.command, "option '--design' expects lhs (Latin hypercube), grid or random, got '" + name + "'");
  return *kind;
}

Result<surrogates::ScenarioSampler> open_sampler(const Args& args, const std::string& path) {
  auto sc = load_for_run(args, path);
  if (!sc) return sc.error();
  if (auto ok = check_run_size(*sc, 1); !ok) return ok.error();  // the scenario's own point
  auto overrides = overrides_of(args);
  if (!overrides) return overrides.error();
  return surrogates::ScenarioSampler::open(*sc, *overrides);
}

Result<DesignRequest> open_design(const Args& args) {
  auto samples = uint_flag(args, "samples", 1, 10'000'000, 0);
  if (!samples) return samples.error();
  auto kind = design_flag(args);
  if (!kind) return kind.error();
  auto sampler = open_sampler(args, args.positional[0]);
  if (!sampler) return sampler.error();
  return DesignRequest{*samples, *kind, std::move(*sampler)};
}

Result<surrogates::Dataset> run_sweep(const surrogates::ScenarioSampler& sampler, surrogates::DesignKind kind,
                                      size_t samples, const std::string& label, std::string* note) {
  const auto design = surrogates::make_design(sampler.factors(), kind, samples, sampler.run().seed);
  if (kind == surrogates::DesignKind::kGrid && note) {
    const auto levels = surrogates::grid_levels(sampler.factors(), samples);
    std::string l;
    for (size_t v : levels) l += (l.empty() ? "" : " x ") + std::to_string(v);
    *note = "a grid of " + l + " = " + std::to_string(design.points()) + " points";
  }
  Progress progress(label);
  return surrogates::sweep(sampler, design, sampler.run().threads, [&](double f) { progress.update(f); });
}

}  // namespace linetwin::cli
