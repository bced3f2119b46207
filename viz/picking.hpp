// Which station is under the mouse: a Bullet collision world with one box per station, queried
// with a ray test. Bullet stays inside picking.cpp; the rest of the viewer sees station indices.
#pragma once
#include <memory>
#include <optional>

#include "viz/camera.hpp"
#include "viz/layout.hpp"

namespace linetwin::viz {

class StationPicker {
 public:
  /// One box per station of `layout`.
  explicit StationPicker(const LineLayout& layout);
  ~StationPicker();
  StationPicker(const StationPicker&) = delete;
  StationPicker& operator=(const StationPicker&) = delete;
  /// The station the ray hits first, if any.
  std::optional<uint32_t> pick(const Ray& ray) const;

 private:
  struct World;
  std::unique_ptr<World> world_;
};

}  // namespace linetwin::viz
