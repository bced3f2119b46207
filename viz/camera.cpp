// Orbit camera maths. The far plane grows with the distance so that a long line stays in view.
#include "viz/camera.hpp"

#include <algorithm>
#include <cmath>
#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/matrix.hpp>

namespace linetwin::viz {

glm::vec3 OrbitCamera::eye() const {
  return target + glm::vec3{std::sin(yaw) * std::cos(pitch), std::sin(pitch), std::cos(yaw) * std::cos(pitch)} * distance;
}

glm::mat4 OrbitCamera::view() const { return glm::lookAt(eye(), target, glm::vec3{0, 1, 0}); }

glm::mat4 OrbitCamera::projection(float aspect) const {
  return glm::perspective(fovy, aspect, std::max(0.05f, distance * 0.01f), distance * 10 + 100);
}

void OrbitCamera::orbit(float dx, float dy) {
  yaw -= dx * 0.006f;
  pitch = std::clamp(pitch + dy * 0.006f, 0.08f, 1.55f);
}

void OrbitCamera::pan(float dx, float dy, float height) {
  const float per_pixel = 2 * distance * std::tan(fovy / 2) / std::max(height, 1.0f);
  const glm::vec3 right{std::cos(yaw), 0, -std::sin(yaw)};
  const glm::vec3 forward{-std::sin(yaw), 0, -std::cos(yaw)};
  target = target - right * (dx * per_pixel) + forward * (dy * per_pixel / std::max(0.3f, std::sin(pitch)));
}

void OrbitCamera::zoom(float steps) { distance = std::clamp(distance * std::pow(0.88f, steps), 2.0f, 5000.0f); }

void OrbitCamera::fit(glm::vec3 lo, glm::vec3 hi, float aspect) {
  target = (lo + hi) * 0.5f;
  target.y = 0;
  // The smallest distance at which every corner of the box projects inside the view, by bisection.
  auto fits = [&](float d) {
    distance = d;
    const glm::mat4 vp = projection(aspect) * view();
    for (int c = 0; c < 8; ++c) {
      const glm::vec3 p{c & 1 ? hi.x : lo.x, c & 2 ? hi.y + 1.5f : 0.0f, c & 4 ? hi.z : lo.z};
      const glm::vec3 n = to_ndc(vp, p);
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
  const glm::mat4 inv = glm::inverse(projection(w / std::max(h, 1.0f)) * view());
  const float x = 2 * px / w - 1, y = 1 - 2 * py / h;
  return Ray{to_ndc(inv, glm::vec3{x, y, -1}), to_ndc(inv, glm::vec3{x, y, 1})};
}

}  // namespace linetwin::viz
