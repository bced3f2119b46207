// The people of a line's worker pools as figures on the floor: each walks to the machine whose
// setup, operation, repair or maintenance holds it, and back to its pool's place when it is free.
// The state tells which machines are at work on something that needs a pool's workers, not which
// worker of the pool is where (the kernel does not name them), so a figure keeps the machine it
// walked to for as long as that machine needs someone, and a new need takes the nearest free
// figure of its pool. A need beyond the pool's count (a repair waiting for its technician) has no
// figure. Plain C++ (no graphics).
#pragma once
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include <glm/vec3.hpp>

#include "sim/line_def.hpp"
#include "sim/line_state.hpp"
#include "viz/layout.hpp"
#include "viz/scene.hpp"

namespace linetwin::viz {

struct WorkerFigure {
  uint32_t pool = 0;
  glm::vec3 at{0};                 // on the floor
  glm::vec3 to{0};                 // where it walks
  uint64_t serves = kFree;         // the need it serves (station, machine, which of its workers)
  static constexpr uint64_t kFree = std::numeric_limits<uint64_t>::max();
};

class WorkerCrowd {
 public:
  /// One figure per worker of `line`'s pools, each at its pool's place.
  void reset(const sim::LineDef& line, const LineLayout& layout);
  /// Gives each figure where `state` needs it and moves it at most `step` metres towards there
  /// (an infinite step puts it there).
  void update(const sim::LineDef& line, const LineLayout& layout, const sim::LineState& state, float step);
  const std::vector<WorkerFigure>& figures() const { return figures_; }
  /// The figures as boxes: a body in its pool's colour and a head.
  void draw(SceneFrame& frame) const;

 private:
  std::vector<WorkerFigure> figures_;
  glm::vec3 lo_{0};
};

/// A worker pool's colour in the scene and the legend.
std::array<float, 3> pool_color(uint32_t pool);

}  // namespace linetwin::viz
