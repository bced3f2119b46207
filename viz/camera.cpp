// Orbit camera maths. The far plane grows with the distance so that a long line stays in view.
#include "viz/camera.hpp"

#include <algorithm>
#include <cmath>

namespace linetwin::viz {

Vec3 OrbitCamera::eye() const {
  return target + Vec3{std::sin(yaw) * std::cos(pitch), std::sin(pitch), std::cos(yaw) * std::cos(pitch)} * distance;
}

Mat4 OrbitCamera::view() const { return look_at(eye(), target, Vec3{0, 1, 0}); }

Mat4 OrbitCamera::projection(float aspect) const {
  return perspective(fovy, aspect, std::max(0.05f, distance * 0.01f), distance * 10 + 100);
}

void OrbitCamera::orbit(float dx, float dy) {
  yaw -= dx * 0.006f;
  pitch = std::clamp(pitch + dy * 0.006f, 0.08f, 1.55f);
}

void OrbitCamera::pan(float dx, float dy, float height) {
  const float per_pixel = 2 * distance * std::tan(fovy / 2) / std::max(height, 1.0f);
  const Vec3 right{std::cos(yaw), 0, -std::sin(yaw)};
  const Vec3 forward{-std::sin(yaw), 0, -std::cos(yaw)};
  target = target - right * (dx * per_pixel) + forward * (dy * per_pixel / std::max(0.3f, std::sin(pitch)));
}

void OrbitCamera::zoom(float steps) { distance = std::clamp(distance * std::pow(0.88f, steps), 2.0f, 5000.0f); }

void OrbitCamera::fit(Vec3 lo, Vec3 hi, float aspect) {
  target = (lo + hi) * 0.5f;
  target.y = 0;
  // The smallest distance at which every corner of the box projects inside the view, by bisection.
  auto fits = [&](float d) {
    distance = d;
    const Mat4 vp = projection(aspect) * view();
    for (int c = 0; c < 8; ++c) {
      const Vec3 p{c & 1 ? hi.x : lo.x, c & 2 ? hi.y + 1.5f : 0.0f, c & 4 ? hi.z : lo.z};
      const Vec3 n = transform_point(vp, p);
      if (std::abs(n.x) > 0.94f || std::abs(n.y) > 0.9f || n.z > 1 || n.z < -1) return false;
    }
    return true;
  };
  float near_d = 2, far_d = 5000;
  for (int i = 0; i < 40; ++i) {
    const float mid = std::sqrt(near_d * far_d);
    (fits(mid) ? far_d : near_d) = mid;
  }
  distance = far_d;
}

Ray OrbitCamera::ray(float px, float py, float w, float h) const {
  const Mat4 inv = inverse(projection(w / std::max(h, 1.0f)) * view());
  const float x = 2 * px / w - 1, y = 1 - 2 * py / h;
  return Ray{transform_point(inv, Vec3{x, y, -1}), transform_point(inv, Vec3{x, y, 1})};
}

}  // namespace linetwin::viz
