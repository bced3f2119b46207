// Needs are keyed by station, machine and the k-th worker a machine holds, so that a figure that
// serves a need this frame keeps it the next while the machine still works on it.
#include "viz/workers.hpp"

#include <algorithm>
#include <cmath>
#include <glm/geometric.hpp>

namespace linetwin::viz {
namespace {

constexpr float kBodyHalf[3] = {0.26f, 0.7f, 0.2f};  // a person of 1.75 m beside a machine of 1 m
constexpr float kHead = 0.17f;
constexpr std::array<float, 3> kSkin{0.93f, 0.78f, 0.62f};

struct Need {
  uint64_t key;
  uint32_t pool;
  glm::vec3 at;
};

uint64_t key_of(uint32_t station, uint32_t machine, uint32_t k) {
  return (uint64_t(station) << 40) | (uint64_t(machine) << 16) | k;
}

// Where the k-th worker of a machine stands: beside it, across the flow.
glm::vec3 beside(const StationGeom& g, uint32_t machine, uint32_t k) {
  glm::vec3 p = g.machines[machine] + g.side * (kMachineSize / 2 + 0.45f + 0.6f * float(k));
  p.y = 0;
  return p;
}

// A pool's place, off the line's lower edge: one row per pool, its workers side by side.
glm::vec3 home(const glm::vec3& lo, uint32_t pool, uint32_t k) { return {lo.x + 0.8f * float(k), 0, lo.z - 2.0f - 1.2f * float(pool)}; }

}  // namespace

std::array<float, 3> pool_color(uint32_t pool) {
  static constexpr std::array<std::array<float, 3>, 4> kColors{{{0.98f, 0.5f, 0.12f},   // overalls: orange
                                                               {0.55f, 0.3f, 0.85f},   // violet
                                                               {0.1f, 0.62f, 0.62f},   // teal
                                                               {0.85f, 0.2f, 0.45f}}};  // raspberry
  return kColors[pool % kColors.size()];
}

void WorkerCrowd::reset(const sim::LineDef& line, const LineLayout& layout) {
  figures_.clear();
  lo_ = layout.lo;
  for (uint32_t p = 0; p < line.workers.size(); ++p)
    for (uint32_t k = 0; k < line.workers[p].count && k < 1000; ++k) {  // a crowd beyond 1000 is not drawn
      WorkerFigure f;
      f.pool = p;
      f.at = f.to = home(lo_, p, k);
      figures_.push_back(f);
    }
}

void WorkerCrowd::update(const sim::LineDef& line, const LineLayout& layout, const sim::LineState& state, float step) {
  // What each machine's state needs of which pool: its operation's or setup's workers, its
  // repairer while down, its maintainer in maintenance. Off shift nobody works.
  std::vector<Need> needs;
  for (uint32_t s = 0; s < state.stations.size() && s < line.stations.size(); ++s) {
    const sim::StationDef& sd = line.stations[s];
    const auto& ps = state.stations[s];
    for (uint32_t m = 0; m < ps.machines.size() && m < layout.stations[s].machines.size(); ++m) {
      const sim::PlacedMachine& pm = ps.machines[m];
      if (pm.off) continue;
      uint32_t k = 0;
      auto need = [&](uint32_t pool) { needs.push_back({key_of(s, m, k), pool, beside(layout.stations[s], m, k)}), ++k; };
      switch (pm.status) {
        case sim::MachineStatus::kBusy:
        case sim::MachineStatus::kSetup:
          for (const auto& n : sd.needs)
            for (uint32_t c = 0; c < n.count; ++c) need(n.pool);
          break;
        case sim::MachineStatus::kDown:
          if (sd.has_failures && sd.failures.repair_by != sim::kNoPool) need(sd.failures.repair_by);
          break;
        case sim::MachineStatus::kMaintenance:
          if (sd.maintenance.by != sim::kNoPool) need(sd.maintenance.by);
          break;
        default: break;
      }
    }
  }
  std::vector<bool> met(needs.size(), false);
  // A figure keeps the need it served if it is still there.
  for (auto& f : figures_) {
    if (f.serves == WorkerFigure::kFree) continue;
    auto it = std::find_if(needs.begin(), needs.end(), [&](const Need& n) { return n.key == f.serves && n.pool == f.pool; });
    if (it == needs.end() || met[size_t(it - needs.begin())]) {
      f.serves = WorkerFigure::kFree;
    } else {
      met[size_t(it - needs.begin())] = true;
      f.to = it->at;
    }
  }
  // A new need takes the nearest free figure of its pool.
  for (size_t i = 0; i < needs.size(); ++i) {
    if (met[i]) continue;
    WorkerFigure* best = nullptr;
    float best_d = 0;
    for (auto& f : figures_)
      if (f.pool == needs[i].pool && f.serves == WorkerFigure::kFree) {
        const float d = glm::distance(f.at, needs[i].at);
        if (!best || d < best_d) best = &f, best_d = d;
      }
    if (!best) continue;
    best->serves = needs[i].key;
    best->to = needs[i].at;
    met[i] = true;
  }
  // The free go back to their pool's place.
  std::vector<uint32_t> at_home(line.workers.size(), 0);
  for (auto& f : figures_)
    if (f.serves == WorkerFigure::kFree) f.to = home(lo_, f.pool, at_home[f.pool]++);
  for (auto& f : figures_) {
    const glm::vec3 d = f.to - f.at;
    const float len = glm::length(d);
    f.at = len <= step ? f.to : f.at + d * (step / len);
  }
}

void WorkerCrowd::draw(SceneFrame& frame) const {
  for (const auto& f : figures_) {
    const auto c = pool_color(f.pool);
    frame.boxes.push_back(BoxInstance{{f.at.x, kBodyHalf[1], f.at.z}, {kBodyHalf[0], kBodyHalf[1], kBodyHalf[2]}, 0, {c[0], c[1], c[2]}});
    frame.boxes.push_back(BoxInstance{{f.at.x, 2 * kBodyHalf[1] + kHead, f.at.z}, {kHead, kHead, kHead}, 0, {kSkin[0], kSkin[1], kSkin[2]}});
  }
}

}  // namespace linetwin::viz
