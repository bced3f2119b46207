// Automatic layout: stations in layers along the flow (the longest route distance from a start,
// back steps dropped); stations sharing a layer stand side by side across the flow; more than
// kRowLayers layers fold into rows that run alternately left and right, like a serpentine line.
// Paths between stations leave along the flow, turn at right angles, and enter along the flow.
#include "viz/layout.hpp"

#include <algorithm>
#include <cmath>
#include <glm/geometric.hpp>
#include <functional>
#include <set>

namespace linetwin::viz {
namespace {

constexpr float kLayerPitch = 7.0f;   // between layers along the flow
constexpr float kAcrossGap = 3.0f;    // between stations side by side
constexpr float kRowGap = 5.0f;       // between folded rows
constexpr uint32_t kRowLayers = 10;
constexpr float kLead = 1.0f;         // a path's straight run out of a station and into the next
constexpr float kPi = 3.14159265f;

float width_of(const sim::StationDef& st) {
  return std::max(float(st.machines) * kMachinePitch, float(kBufferColumns) * kItemPitch + 0.4f);
}

StationGeom place(const sim::StationDef& st, glm::vec3 center, float yaw) {
  StationGeom g;
  g.center = center;
  g.yaw = yaw;
  g.dir = {std::cos(yaw), 0, -std::sin(yaw)};
  g.side = {std::sin(yaw), 0, std::cos(yaw)};
  const float n = float(st.machines);
  for (uint32_t m = 0; m < st.machines; ++m) g.machines.push_back(center + g.side * ((float(m) - (n - 1) / 2) * kMachinePitch));
  g.has_buffer = st.buffer != 0;
  const float half_machine = kMachineSize / 2;
  const float buffer_depth = float(kBufferRows) * kItemPitch;
  g.buffer = center - g.dir * (half_machine + 0.4f + buffer_depth / 2);
  g.entry = center - g.dir * (g.has_buffer ? half_machine + 0.6f + buffer_depth : half_machine + 0.3f);
  g.exit = center + g.dir * (half_machine + 0.3f);
  const float back = glm::length(g.entry - center), front = glm::length(g.exit - center);
  g.box_center = center + g.dir * ((front - back) / 2) + glm::vec3{0, kMachineHeight / 2 + 0.1f, 0};
  g.box_half = {(front + back) / 2, kMachineHeight / 2 + 0.1f, width_of(st) / 2};
  return g;
}

void finish_path(PathGeom& p) {
  std::vector<glm::vec3> pts;
  for (const glm::vec3& v : p.points)
    if (pts.empty() || glm::length(v - pts.back()) > 1e-4f) pts.push_back(v);
  if (pts.size() < 2) pts.push_back(pts.empty() ? glm::vec3{} : pts.back() + glm::vec3{0.01f, 0, 0});
  p.points = pts;
  p.at.assign(1, 0.0f);
  for (std::size_t i = 1; i < pts.size(); ++i) p.at.push_back(p.at.back() + glm::length(pts[i] - pts[i - 1]));
  p.length = p.at.back();
}

PathGeom route_path(const StationGeom& a, const StationGeom& b, const std::vector<std::array<double, 2>>* waypoints) {
  PathGeom p;
  p.points.push_back(a.exit);
  if (waypoints) {
    for (const auto& w : *waypoints) p.points.push_back(glm::vec3{float(w[0]), 0, float(w[1])});
  } else {
    glm::vec3 out = a.exit + a.dir * kLead;
    glm::vec3 in = b.entry - b.dir * kLead;
    p.points.push_back(out);
    // A U-turn (the next station faces back): run out past both ends, cross, come back in.
    if (glm::dot(a.dir, b.dir) < -0.5f) {
      const float far = std::max(glm::dot(out, a.dir), glm::dot(in, a.dir));
      const glm::vec3 p1 = out + a.dir * (far - glm::dot(out, a.dir));
      p.points.push_back(p1);
      p.points.push_back(p1 + a.side * glm::dot(in - p1, a.side));
    } else if (glm::dot(in - out, a.dir) >= 0)  // turn across first when the next station lies ahead
      p.points.push_back(out + a.side * glm::dot(in - out, a.side));
    else  // else run back along the flow first
      p.points.push_back(out + a.dir * glm::dot(in - out, a.dir));
    p.points.push_back(in);
  }
  p.points.push_back(b.entry);
  finish_path(p);
  return p;
}

}  // namespace

std::vector<uint32_t> flow_layers(const sim::LineDef& line) {
  const std::size_t n = line.stations.size();
  std::vector<std::set<uint32_t>> next(n);
  std::vector<bool> starts(n, false);
  for (const auto& p : line.products) {
    starts[sim::idx(p.route.front())] = true;
    for (std::size_t k = 0; k + 1 < p.route.size(); ++k) next[sim::idx(p.route[k])].insert(sim::idx(p.route[k + 1]));
  }
  // Depth-first from the starts (then any station left), dropping edges back onto the stack.
  std::vector<int> mark(n, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<uint32_t> order;  // post-order
  std::vector<std::vector<uint32_t>> forward(n);
  std::function<void(uint32_t)> visit = [&](uint32_t s) {
    mark[s] = 1;
    for (uint32_t t : next[s]) {
      if (mark[t] == 1) continue;  // a step back: a loop in some route
      forward[s].push_back(t);
      if (mark[t] == 0) visit(t);
    }
    mark[s] = 2;
    order.push_back(s);
  };
  for (std::size_t s = 0; s < n; ++s)
    if (starts[s] && !mark[s]) visit(uint32_t(s));
  for (std::size_t s = 0; s < n; ++s)
    if (!mark[s]) visit(uint32_t(s));
  std::vector<uint32_t> layer(n, 0);
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    for (uint32_t t : forward[*it]) layer[t] = std::max(layer[t], layer[*it] + 1);
  return layer;
}

LineLayout make_layout(const sim::LineDef& line, const scenarios::Layout& given) {
  const std::size_t n = line.stations.size();
  const std::vector<uint32_t> layer = flow_layers(line);
  const uint32_t layers = n ? *std::max_element(layer.begin(), layer.end()) + 1 : 0;
  const uint32_t per_row = layers > kRowLayers ? uint32_t(std::ceil(std::sqrt(double(layers) * 2.5))) : layers;
  // Stations of a layer side by side, centred on the row's axis.
  std::vector<std::vector<uint32_t>> in_layer(layers);
  for (uint32_t s = 0; s < n; ++s) in_layer[layer[s]].push_back(s);
  float row_width = 0;
  std::vector<float> across(n, 0);
  for (const auto& group : in_layer) {
    float total = 0;
    for (uint32_t s : group) total += width_of(line.stations[s]) + kAcrossGap;
    total -= kAcrossGap;
    row_width = std::max(row_width, total);
    float at = -total / 2;
    for (uint32_t s : group) {
      float w = width_of(line.stations[s]);
      across[s] = at + w / 2;
      at += w + kAcrossGap;
    }
  }
  LineLayout out;
  out.stations.resize(n);
  std::vector<const scenarios::StationPlace*> placed(n, nullptr);
  for (const auto& p : given.stations) placed[sim::idx(p.station)] = &p;
  for (uint32_t s = 0; s < n; ++s) {
    if (const auto* p = placed[s]) {
      out.stations[s] = place(line.stations[s], glm::vec3{float(p->x), 0, float(p->y)}, float(-p->angle * kPi / 180));
      continue;
    }
    const uint32_t row = per_row ? layer[s] / per_row : 0;
    uint32_t col = per_row ? layer[s] % per_row : 0;
    const bool back = row % 2 == 1;
    if (back) col = per_row - 1 - col;
    const glm::vec3 c{float(col) * kLayerPitch, 0, float(row) * (row_width + kRowGap) + across[s]};
    out.stations[s] = place(line.stations[s], c, back ? kPi : 0);
  }
  // A station placed by hand with an angle keeps it; the y in the scenario is the floor's z.
  std::vector<const std::vector<std::array<double, 2>>*> waypoints(line.transports.size(), nullptr);
  for (const auto& t : given.transports) waypoints[sim::idx(t.transport)] = &t.waypoints;
  std::set<std::pair<uint32_t, uint32_t>> has_transport;
  for (std::size_t t = 0; t < line.transports.size(); ++t) {
    const auto& tr = line.transports[t];
    PathGeom p = route_path(out.stations[sim::idx(tr.from)], out.stations[sim::idx(tr.to)], waypoints[t]);
    p.from = sim::idx(tr.from);
    p.to = sim::idx(tr.to);
    out.transports.push_back(std::move(p));
    has_transport.emplace(sim::idx(tr.from), sim::idx(tr.to));
  }
  std::set<std::pair<uint32_t, uint32_t>> seen;
  for (const auto& prod : line.products)
    for (std::size_t k = 0; k + 1 < prod.route.size(); ++k) {
      auto pair = std::make_pair(sim::idx(prod.route[k]), sim::idx(prod.route[k + 1]));
      if (pair.first == pair.second || has_transport.count(pair) || !seen.insert(pair).second) continue;
      PathGeom p = route_path(out.stations[pair.first], out.stations[pair.second], nullptr);
      p.from = pair.first;
      p.to = pair.second;
      out.flows.push_back(std::move(p));
    }
  // Bounds over station boxes and paths.
  const float big = 1e30f;
  out.lo = {big, 0, big};
  out.hi = {-big, kMachineHeight, -big};
  auto grow = [&](glm::vec3 v, float r) {
    out.lo.x = std::min(out.lo.x, v.x - r);
    out.lo.z = std::min(out.lo.z, v.z - r);
    out.hi.x = std::max(out.hi.x, v.x + r);
    out.hi.z = std::max(out.hi.z, v.z + r);
  };
  for (const auto& g : out.stations) grow(g.box_center, std::max(g.box_half.x, g.box_half.z));
  for (const auto& p : out.transports)
    for (const glm::vec3& v : p.points) grow(v, 0.5f);
  if (n == 0) out.lo = out.hi = {};
  return out;
}

glm::vec3 point_along(const PathGeom& path, float distance, glm::vec3* direction) {
  distance = std::clamp(distance, 0.0f, path.length);
  std::size_t i = 1;
  while (i + 1 < path.points.size() && path.at[i] < distance) ++i;
  const glm::vec3 a = path.points[i - 1], b = path.points[i];
  const float seg = path.at[i] - path.at[i - 1];
  const float f = seg > 0 ? (distance - path.at[i - 1]) / seg : 0;
  if (direction) *direction = glm::normalize(b - a);
  return a + (b - a) * f;
}

}  // namespace linetwin::viz
