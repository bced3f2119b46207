// The orbit camera: it circles a target point on the floor, pans along the floor and zooms;
// and turns a pixel into a ray for picking. Plain C++ math, no window.
#pragma once
#include "viz/math3d.hpp"

namespace linetwin::viz {

/// A ray from `from` towards `to`.
struct Ray {
  Vec3 from, to;
};

struct OrbitCamera {
  Vec3 target;
  float yaw = -0.3f;       // about y; 0 looks along -z
  float pitch = 0.62f;     // above the floor, radians
  float distance = 30.0f;
  float fovy = 0.75f;      // radians

  /// Where the eye is.
  Vec3 eye() const;
  /// The view matrix.
  Mat4 view() const;
  /// The projection for a viewport of the given aspect (width / height).
  Mat4 projection(float aspect) const;
  /// Turns by a mouse drag of (dx, dy) pixels.
  void orbit(float dx, float dy);
  /// Moves the target along the floor by a drag of (dx, dy) pixels in a viewport `height` high.
  void pan(float dx, float dy, float height);
  /// Zooms in (steps > 0) or out.
  void zoom(float steps);
  /// Frames the floor box [lo, hi] in a viewport of the given aspect.
  void fit(Vec3 lo, Vec3 hi, float aspect);
  /// The ray through pixel (px, py) of a viewport w x h (origin top left).
  Ray ray(float px, float py, float w, float h) const;
};

}  // namespace linetwin::viz
