// The orbit camera: it circles a target point on the floor, pans along the floor and zooms;
// and turns a pixel into a ray for picking. Plain C++ math, no window.
#pragma once
#include <glm/mat4x4.hpp>
#include <glm/vec3.hpp>

namespace linetwin::viz {

/// A point transformed by m and divided by w: from world space through clip space into
/// normalized device coordinates (glm::project would go on to window pixels, which callers
/// with their own viewport do not want).
inline glm::vec3 to_ndc(const glm::mat4& m, glm::vec3 p) {
  const glm::vec4 c = m * glm::vec4(p, 1.0f);
  return c.w != 0 ? glm::vec3(c) / c.w : glm::vec3(c);
}

/// A ray from `from` towards `to`.
struct Ray {
  glm::vec3 from, to;
};

struct OrbitCamera {
  glm::vec3 target;
  float yaw = -0.3f;       // about y; 0 looks along -z
  float pitch = 0.62f;     // above the floor, radians
  float distance = 30.0f;
  float fovy = 0.75f;      // radians

  /// Where the eye is.
  glm::vec3 eye() const;
  /// The view matrix.
  glm::mat4 view() const;
  /// The projection for a viewport of the given aspect (width / height).
  glm::mat4 projection(float aspect) const;
  /// Turns by a mouse drag of (dx, dy) pixels.
  void orbit(float dx, float dy);
  /// Moves the target along the floor by a drag of (dx, dy) pixels in a viewport `height` high.
  void pan(float dx, float dy, float height);
  /// Zooms in (steps > 0) or out.
  void zoom(float steps);
  /// Frames the floor box [lo, hi] in a viewport of the given aspect.
  void fit(glm::vec3 lo, glm::vec3 hi, float aspect);
  /// The ray through pixel (px, py) of a viewport w x h (origin top left).
  Ray ray(float px, float py, float w, float h) const;
};

}  // namespace linetwin::viz
