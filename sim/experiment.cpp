#include "sim/experiment.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <cmath>
#include <thread>

#include "sim/deadlock.hpp"
#include "sim/line.hpp"

namespace linetwin::sim {

const std::vector<std::string>& kpi_names() {
  static const std::vector<std::string> names = {"throughput", "lead_time", "wip", "lost"};
  return names;
}

double kpi_value(const RepResult& r, const std::string& name) {
  if (name == "throughput") return r.throughput;
  if (name == "lead_time") return r.lead_time;
  if (name == "wip") return r.wip;
  if (name == "lost") return r.lost;
  if (name == "scrap") return r.scrap;
  if (name == "power") return r.power;
  if (name == "energy_per_item") return r.energy_per_item;
  return std::nan("");
}

void summarize_reps(ExperimentResult& r, size_t stations) {
  // Every figure of a run is a count, rate, time or fraction: never negative, and a fraction
  // never above 1. Their intervals are cut to that range.
  auto over = [&](auto get, double ceiling = std::numeric_limits<double>::infinity()) {
    std::vector<double> v;
    v.reserve(r.reps.size());
    for (const RepResult& rep : r.reps) v.push_back(get(rep));
    return summarize_within(v, 0.0, ceiling);
  };
  r.throughput = over([](const RepResult& x) { return x.throughput; });
  r.lead_time = over([](const RepResult& x) { return x.lead_time; });
  r.wip = over([](const RepResult& x) { return x.wip; });
  r.lost = over([](const RepResult& x) { return x.lost; });
  r.scrap = over([](const RepResult& x) { return x.scrap; });
  r.power = over([](const RepResult& x) { return x.power; });
  r.energy_per_item = over([](const RepResult& x) { return x.energy_per_item; });
  const size_t products = r.reps.empty() ? 0 : r.reps.front().products.size();
  r.products.assign(products, {});
  for (size_t p = 0; p < products; ++p) {
    ProductSummary& ps = r.products[p];
    ps.throughput = over([p](const RepResult& x) { return x.products[p].throughput; });
    ps.lead_time = over([p](const RepResult& x) { return x.products[p].lead_time; });
    ps.wip = over([p](const RepResult& x) { return x.products[p].wip; });
    ps.scrap = over([p](const RepResult& x) { return x.products[p].scrap; });
    ps.consumed = over([p](const RepResult& x) { return x.products[p].consumed; });
  }
  const size_t pools = r.reps.empty() ? 0 : r.reps.front().workers.size();
  r.workers.assign(pools, {});
  for (size_t p = 0; p < pools; ++p) r.workers[p] = over([p](const RepResult& x) { return x.workers[p]; }, 1.0);
  r.stations.assign(stations, {});
  for (size_t s = 0; s < stations; ++s) {
    StationSummary& ss = r.stations[s];
    ss.utilization = over([s](const RepResult& x) { return x.stations[s].utilization; }, 1.0);
    ss.blocked = over([s](const RepResult& x) { return x.stations[s].blocked; }, 1.0);
    ss.starved = over([s](const RepResult& x) { return x.stations[s].starved; }, 1.0);
    ss.down = over([s](const RepResult& x) { return x.stations[s].down; }, 1.0);
    ss.setup = over([s](const RepResult& x) { return x.stations[s].setup; }, 1.0);
    ss.waiting = over([s](const RepResult& x) { return x.stations[s].waiting; }, 1.0);
    ss.maintenance = over([s](const RepResult& x) { return x.stations[s].maintenance; }, 1.0);
    ss.off = over([s](const RepResult& x) { return x.stations[s].off; }, 1.0);
    // A replication's operations may run faster than their means: OEE has no ceiling of 1 there.
    ss.oee = over([s](const RepResult& x) { return x.stations[s].oee; });
    ss.power = over([s](const RepResult& x) { return x.stations[s].power; });
    ss.queue = over([s](const RepResult& x) { return x.stations[s].queue; });
  }
  r.events = 0;
  r.unstable = false;
  r.deadlocks = 0;
  for (const RepResult& rep : r.reps) {
    r.events += rep.events;
    r.deadlocks += !rep.locked.empty();
    r.unstable = r.unstable || rep.unstable;
  }
}

ExperimentResult run_experiment(const LineDef& line, const RunDef& run, const ProgressFn& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  ExperimentResult out;
  out.reps.resize(run.replications);
  uint32_t threads = run.threads ? run.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, std::max(1u, run.replications));
  out.threads_used = threads;

  std::atomic<uint32_t> next{0};
  std::atomic<uint64_t> steps_done{0};  // hundredths of replications, for progress
  std::atomic<bool> stop{false};
  const double end = run.warmup + run.horizon;
  constexpr int kSteps = 100;
  auto worker = [&] {
    for (uint32_t i; !stop && (i = next.fetch_add(1)) < run.replications;) {
      LineSim sim(line, run, i);
      if (progress) {
        // Running in slices of simulated time changes nothing in the results (run_until is
        // exact) and lets a long replication report how far it is.
        for (int k = 1; k <= kSteps; ++k) {
          const bool more = sim.run_until(end * k / kSteps);
          const uint64_t steps = more ? 1 : kSteps - k + 1;
          progress(double(steps_done.fetch_add(steps) + steps) / (double(kSteps) * run.replications));
          if (!more) break;
        }
      }
      out.reps[i] = sim.run();
      // Once per replication, from the final state: a lock is permanent, so it shows at the end.
      out.reps[i].locked = locked_stations(line, sim.state());
      if (out.reps[i].unstable) stop = true;  // no point finishing the others
    }
  };
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (uint32_t t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  if (stop) {
    out.unstable = true;
    std::erase_if(out.reps, [](const RepResult& r) { return r.stations.empty(); });
  }
  summarize_reps(out, line.stations.size());
  out.unstable = out.unstable || stop;
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

namespace {

// Records when each job of a plan leaves the line.
class JobEnds final : public Observer {
 public:
  explicit JobEnds(size_t jobs) : end(jobs, std::nan("")) {}
  void on_event(const LineEvent& e) override {
    if (e.kind == EventKind::kComplete && e.item >= 1 && e.item <= end.size()) end[e.item - 1] = e.t;
  }
  std::vector<double> end;
};

}  // namespace

std::vector<PlanRep> run_plan_experiment(const LineDef& line, const RunDef& run, const PlanDef& plan) {
  std::vector<PlanRep> reps(run.replications);
  uint32_t threads = run.threads ? run.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, std::max(1u, run.replications));
  std::atomic<uint32_t> next{0};
  auto worker = [&] {
    for (uint32_t i; (i = next.fetch_add(1)) < run.replications;) {
      LineSim sim(line, run, i);
      JobEnds ends(plan.jobs.size());
      sim.add_observer(&ends);
      sim.follow_plan(plan);
      reps[i].line = sim.run();
      reps[i].complete = sim.plan_finished() == plan.jobs.size();
      reps[i].job_end = std::move(ends.end);
    }
  };
  std::vector<std::thread> pool;
  for (uint32_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return reps;
}

}  // namespace linetwin::sim
