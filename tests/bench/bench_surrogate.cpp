// Surrogates and the line optimizer on the example lines (README: "Surrogates and the
// optimizer"). Not part of the test suite. Per line:
//   - a Latin hypercube of --samples points simulated on all cores, a surrogate trained on it:
//     R^2 and MAPE on the points held out (as `linetwin surrogate train --json` reports them),
//     and on 100 points simulated with other random numbers (seed + 1000);
//   - the simulator's time per point on one core (the scenario's replications), the surrogate's
//     batched prediction on one core (points per second), and the speed-up;
// and with --optimize, every method of `linetwin optimize` at one budget, from several search
// seeds, and exhaustive search against the default on a space small enough to enumerate.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "optimize/line_search.hpp"
#include "surrogates/design.hpp"

using namespace linetwin;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

surrogates::ScenarioSampler open(const std::string& file, const std::vector<scenarios::Override>& overrides = {}) {
  auto sc = scenarios::load_scenario(file, overrides);
  if (!sc) {
    std::fprintf(stderr, "%s\n", sc.error().message().c_str());
    std::exit(1);
  }
  auto s = surrogates::ScenarioSampler::open(*sc, overrides);
  if (!s) {
    std::fprintf(stderr, "%s\n", s.error().message().c_str());
    std::exit(1);
  }
  return std::move(*s);
}

template <class T>
T check(Result<T> r) {
  if (!r) {
    std::fprintf(stderr, "%s\n", r.error().message().c_str());
    std::exit(1);
  }
  return std::move(*r);
}

struct LineFigures {
  std::string name;
  std::map<std::string, surrogates::KpiScore> holdout, fresh;
  double sweep_s = 0, train_s = 0, sim_per_point_s = 0, points_per_s = 0;
};

LineFigures surrogate_figures(const std::string& file, size_t samples) {
  LineFigures f;
  const auto sampler = open(file);
  f.name = sampler.scenario().line.name;
  std::fprintf(stderr, "%s: simulating %zu points...\n", f.name.c_str(), samples);
  double t = now();
  const auto design = surrogates::make_design(sampler.factors(), surrogates::DesignKind::kLhs, samples, sampler.run().seed);
  const auto data = check(surrogates::sweep(sampler, design, 0));
  f.sweep_s = now() - t;

  surrogates::ModelInfo info;
  info.scenario = f.name;
  info.source = file;
  info.factors = sampler.factors();
  info.kpis = sim::kpi_names();
  surrogates::TrainOptions options;  // as `linetwin surrogate train`
  options.seed = sampler.run().seed;
  surrogates::TrainReport report;
  const auto model = check(surrogates::SurrogateModel::train(info, data, options, &report));
  f.train_s = report.train_s;
  for (const auto& s : report.holdout_scores) f.holdout[s.kpi] = s;

  // Other random numbers: the same line, seed + 1000, a design of its own.
  auto fresh_sampler = open(file, {{"seed", std::to_string(sampler.run().seed + 1000)}});
  const auto fresh_design = surrogates::make_design(sampler.factors(), surrogates::DesignKind::kLhs, 100, 77);
  const auto fresh = check(surrogates::sweep(fresh_sampler, fresh_design, 0));
  for (const auto& s : check(surrogates::score(model, fresh, "fresh"))) f.fresh[s.kpi] = s;

  // The simulator on one core: ten points of the design, one after another.
  t = now();
  const size_t n_sim = 10;
  for (size_t i = 0; i < n_sim; ++i) check(sampler.simulate(design.row(i), 1));
  f.sim_per_point_s = (now() - t) / n_sim;

  // The surrogate (one core: it never starts threads): 100,000 random points in one batch, best of three.
  const size_t n = 100000;
  const auto points = surrogates::make_design(sampler.factors(), surrogates::DesignKind::kRandom, n, 5);
  std::vector<double> out(n * info.kpis.size());
  double best = 1e30;
  for (int rep = 0; rep < 3; ++rep) {
    t = now();
    model.predict(points.x.data(), n, out.data());
    best = std::min(best, now() - t);
  }
  f.points_per_s = n / best;
  return f;
}

void optimizer_figures(const std::vector<std::string>& files, uint64_t budget, int seeds) {
  using optimize::LineMethod;
  const LineMethod methods[] = {LineMethod::kGrid, LineMethod::kRandom, LineMethod::kAnneal, LineMethod::kGa, LineMethod::kGradient};
  std::printf("\nOptimizer: best objective found with a budget of %llu simulator runs, search seeds 1..%d\n"
              "(mean over the seeds; 'hit' counts the seeds that reached the best any run found)\n\n",
              static_cast<unsigned long long>(budget), seeds);
  for (const auto& file : files) {
    const auto sampler = open(file);
    const auto& obj = *sampler.scenario().objective;
    std::printf("%s (%s %s)\n  %-9s %14s %6s %10s %8s\n", sampler.scenario().line.name.c_str(), obj.maximize ? "maximize" : "minimize",
                obj.kpi.c_str(), "method", "objective", "hit", "runs", "wall s");
    std::map<LineMethod, std::vector<double>> found;
    std::map<LineMethod, double> wall, runs;
    double overall = obj.maximize ? -1e300 : 1e300;
    for (auto m : methods) {
      std::fprintf(stderr, "%s: %s...\n", sampler.scenario().line.name.c_str(), optimize::line_method_name(m).c_str());
      for (int s = 1; s <= seeds; ++s) {
        optimize::LineSearchOptions o;
        o.method = m;
        o.budget = budget;
        o.seed = static_cast<uint64_t>(s);
        const double t = now();
        const auto r = check(optimize::optimize_line(sampler, o));
        wall[m] += (now() - t) / seeds;
        runs[m] += static_cast<double>(r.evaluations) / seeds;
        found[m].push_back(r.best.objective);
        overall = obj.maximize ? std::max(overall, r.best.objective) : std::min(overall, r.best.objective);
      }
    }
    for (auto m : methods) {
      double mean = 0;
      int hit = 0;
      for (double v : found[m]) mean += v / seeds, hit += v == overall;
      std::printf("  %-9s %14.7g %3d/%-2d %10.0f %8.1f\n", optimize::line_method_name(m).c_str(), mean, hit, seeds, runs[m], wall[m]);
    }
    std::printf("\n");
  }
}

// Exhaustive search against the default method with fewer runs, on one space of `file`.
void enumerable(const std::string& title, const std::string& file, const std::vector<scenarios::Override>& overrides,
                std::initializer_list<uint64_t> budgets) {
  const auto sampler = open(file, overrides);
  uint64_t size = 1;
  for (const auto& f : sampler.factors()) size *= surrogates::value_count(f);
  optimize::LineSearchOptions o;
  o.method = optimize::LineMethod::kGrid;
  o.budget = size;
  const auto grid = check(optimize::optimize_line(sampler, o));
  std::string best;
  for (double v : grid.best.x) best += (best.empty() ? "" : ", ") + std::to_string(static_cast<long>(v));
  std::printf("%s (%llu settings)\n  %-22s %6s %14s %s\n  %-22s %6llu %14.7g (%s)\n", title.c_str(),
              static_cast<unsigned long long>(size), "search", "runs", "objective", "best setting", "grid (exhaustive)",
              static_cast<unsigned long long>(grid.evaluations), grid.best.objective, best.c_str());
  for (uint64_t budget : budgets) {
    o.method = optimize::default_line_method();
    o.budget = budget;
    int same = 0;
    for (uint64_t s = 1; s <= 5; ++s) {
      o.seed = s;
      const auto r = check(optimize::optimize_line(sampler, o));
      same += r.best.objective >= grid.best.objective;
    }
    std::printf("  %-22s %6llu %14s %d of 5 search seeds found the grid's best\n",
                (optimize::line_method_name(o.method) + " (default)").c_str(), static_cast<unsigned long long>(budget), "", same);
  }
}

void enumerable_figures() {
  enumerable("\nA space to enumerate: the assembly line's wiring and test buffers, 0..6 each",
             LINETWIN_SOURCE_DIR "/scenarios/assembly_line.yaml",
             {{"factors", "[{path: stations.wiring.buffer, range: [0, 6], integer: true}, "
                          "{path: stations.test.buffer, range: [0, 6], integer: true}]"},
              // The costs of the factors left out go too (the operators stay two).
              {"objective", "{maximize: throughput, cost: {stations.wiring.buffer: 0.00005, stations.test.buffer: 0.00005}}"}},
             {20, 25, 30});
  enumerable("\nAnother: tests/optimize/scenarios/tiny_line.yaml, two buffers 0..5, the best inside",
             LINETWIN_SOURCE_DIR "/tests/optimize/scenarios/tiny_line.yaml", {}, {16, 20, 25});
}

}  // namespace

int main(int argc, char** argv) {
  size_t samples = 500;
  uint64_t budget = 100;
  int seeds = 3;
  bool do_optimize = false, only_optimize = false;
  std::vector<std::string> files = {LINETWIN_SOURCE_DIR "/scenarios/bottling_line.yaml",
                                    LINETWIN_SOURCE_DIR "/scenarios/machining_cell.yaml",
                                    LINETWIN_SOURCE_DIR "/scenarios/assembly_line.yaml"};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--samples" && i + 1 < argc) samples = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--budget" && i + 1 < argc) budget = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--seeds" && i + 1 < argc) seeds = std::atoi(argv[++i]);
    else if (a == "--optimize") do_optimize = true;
    else if (a == "--only-optimize") do_optimize = only_optimize = true;
    else {
      std::fprintf(stderr, "usage: bench_surrogate [--samples N] [--optimize | --only-optimize] [--budget N] [--seeds K]\n");
      return 2;
    }
  }
  std::printf("linetwin surrogate benchmark, %u hardware threads\n", std::max(1u, std::thread::hardware_concurrency()));
  bool all_met = true;
  if (!only_optimize) {
    std::vector<LineFigures> lines;
    for (const auto& f : files) lines.push_back(surrogate_figures(f, samples));
    std::printf("\nSurrogates trained on %zu simulated points (Latin hypercube; 20%% held out)\n\n", samples);
    std::printf("%-28s %-10s %9s %9s   %12s %9s\n", "line", "KPI", "R2 hold", "MAPE %", "R2 new seed", "MAPE %");
    for (const auto& l : lines)
      for (const auto& k : sim::kpi_names())
        std::printf("%-28s %-10s %9.4f %9.3f   %12.4f %9.3f\n", l.name.c_str(), k.c_str(), l.holdout.at(k).r2, l.holdout.at(k).mape,
                    l.fresh.at(k).r2, l.fresh.at(k).mape);
    std::printf("\n%-28s %10s %10s %14s %16s %10s\n", "line", "sweep s", "train s", "sim ms/point", "predict pts/s", "speed-up");
    for (const auto& l : lines)
      std::printf("%-28s %10.1f %10.1f %14.2f %16.3g %10.3g\n", l.name.c_str(), l.sweep_s, l.train_s, 1000 * l.sim_per_point_s,
                  l.points_per_s, l.sim_per_point_s * l.points_per_s);
    std::printf("\n%-62s %10s\n", "target", "measured");
    auto row = [&](const std::string& what, double v, bool met, const char* fmt) {
      char buf[32];
      std::snprintf(buf, sizeof buf, fmt, v);
      std::printf("%-62s %10s  %s\n", what.c_str(), buf, met ? "met" : "NOT MET");
      all_met = all_met && met;
    };
    for (const auto& l : lines) {
      row(l.name + ": throughput R2 >= 0.97 (holdout)", l.holdout.at("throughput").r2, l.holdout.at("throughput").r2 >= 0.97, "%.4f");
      row(l.name + ": lead time R2 >= 0.90 (holdout)", l.holdout.at("lead_time").r2, l.holdout.at("lead_time").r2 >= 0.90, "%.4f");
    }
    double slowest = 1e300;
    for (const auto& l : lines) slowest = std::min(slowest, l.points_per_s);
    row("batched prediction on one core >= 100,000 points/s (slowest)", slowest, slowest >= 1e5, "%.3g");
  }
  if (do_optimize) {
    optimizer_figures(files, budget, seeds);
    enumerable_figures();
  }
  return all_met ? 0 : 1;
}
