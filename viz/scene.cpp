// Scene building. Each station: a base plate, its machines coloured by state with the held item
// on top, its buffer's pallet with items stacked kBufferColumns x kBufferRows per layer. Each
// transport: conveyor segments, with items placed by the time since they departed over the mean
// travel time, pushed back where the ones ahead have stopped (an accumulating conveyor). Every
// box costs vertex work in a software renderer, so each part is one box.
#include "viz/scene.hpp"

#include <algorithm>
#include <cmath>
#include <glm/geometric.hpp>

namespace linetwin::viz {
namespace {

constexpr std::array<float, 3> kBase{0.32f, 0.34f, 0.37f};
constexpr std::array<float, 3> kSelected{1.0f, 0.92f, 0.35f};
constexpr std::array<float, 3> kPallet{0.62f, 0.5f, 0.34f};
constexpr std::array<float, 3> kBelt{0.42f, 0.44f, 0.48f};
constexpr std::array<float, 3> kFlow{0.25f, 0.55f, 0.85f};

void box(SceneFrame& f, glm::vec3 c, glm::vec3 half, float yaw, const std::array<float, 3>& color) {
  f.boxes.push_back(BoxInstance{{c.x, c.y, c.z}, {half.x, half.y, half.z}, yaw, {color[0], color[1], color[2]}});
}

void line(std::vector<LineVertex>& lines, glm::vec3 a, glm::vec3 b, const std::array<float, 3>& c) {
  lines.push_back(LineVertex{{a.x, a.y, a.z}, {c[0], c[1], c[2]}});
  lines.push_back(LineVertex{{b.x, b.y, b.z}, {c[0], c[1], c[2]}});
}

float yaw_of(glm::vec3 d) { return std::atan2(-d.z, d.x); }

void draw_station(const StationGeom& g, const sim::PlacedStation& st, bool selected, SceneFrame& f) {
  // Base plate (brighter when selected) under the whole station.
  glm::vec3 plate = g.box_center;
  plate.y = 0.02f;
  box(f, plate, glm::vec3{g.box_half.x + 0.15f, 0.02f, g.box_half.z + 0.15f}, g.yaw, selected ? kSelected : kBase);
  for (std::size_t m = 0; m < g.machines.size(); ++m) {
    const sim::PlacedMachine& mm = st.machines[m];
    glm::vec3 c = g.machines[m] + glm::vec3{0, kMachineHeight / 2 + 0.04f, 0};
    box(f, c, glm::vec3{kMachineSize / 2, kMachineHeight / 2, kMachineSize / 2}, g.yaw, state_color(shown_state(mm)));
    if (sim::holds_item(mm)) {
      glm::vec3 ic = g.machines[m] + glm::vec3{0, kMachineHeight + 0.04f + kItemSize / 2, 0};
      box(f, ic, glm::vec3{kItemSize / 2, kItemSize / 2, kItemSize / 2}, g.yaw, product_color(mm.item.product));
      ++f.items_drawn;
    }
  }
  if (!g.has_buffer) return;
  const uint32_t per_layer = kBufferColumns * kBufferRows;
  box(f, g.buffer + glm::vec3{0, 0.06f, 0},
      glm::vec3{kBufferRows * kItemPitch / 2 + 0.08f, 0.05f, kBufferColumns * kItemPitch / 2 + 0.08f}, g.yaw, kPallet);
  const uint32_t shown = std::min<uint32_t>(uint32_t(st.queue.size()), kMaxDrawnPerBuffer);
  for (uint32_t i = 0; i < shown; ++i) {
    // The first in the queue nearest the machines, filling rows towards the back, then layers up.
    const uint32_t layer = i / per_layer, in = i % per_layer;
    const float row = float(in / kBufferColumns), col = float(in % kBufferColumns);
    glm::vec3 c = g.buffer + g.dir * ((float(kBufferRows) - 1) / 2 * kItemPitch - row * kItemPitch) +
             g.side * ((col - (float(kBufferColumns) - 1) / 2) * kItemPitch) +
             glm::vec3{0, 0.11f + kItemSize / 2 + float(layer) * (kItemSize + 0.02f), 0};
    box(f, c, glm::vec3{kItemSize / 2, kItemSize / 2, kItemSize / 2}, g.yaw, product_color(st.queue[i].product));
    ++f.items_drawn;
  }
}

void draw_conveyor(const PathGeom& p, SceneFrame& f) {
  for (std::size_t i = 1; i < p.points.size(); ++i) {
    glm::vec3 a = p.points[i - 1], b = p.points[i];
    glm::vec3 d = b - a;
    float len = glm::length(d);
    if (len <= 0) continue;
    glm::vec3 mid = (a + b) * 0.5f;
    float yaw = yaw_of(d);
    // Each segment reaches half a belt width past its ends so that corners close.
    // One box from the floor to the belt: the frame below, the belt on top (edges shaded darker).
    box(f, mid + glm::vec3{0, kConveyorHeight / 2, 0}, glm::vec3{len / 2 + 0.25f, kConveyorHeight / 2, 0.25f}, yaw, kBelt);
  }
}

// `items` are those in one transport, front first (the least travel time left). Each is placed by
// the share of a mean travel it has left and held back at least one item pitch behind the one ahead.
void draw_transport_items(const PathGeom& p, const std::vector<const sim::PlacedTransit*>& items, double mean,
                          SceneFrame& f) {
  float limit = p.length - kItemPitch / 2;
  for (const sim::PlacedTransit* i : items) {
    const double left = std::isnan(i->remaining) ? mean : i->remaining;
    float natural = mean > 0 ? float(1.0 - left / mean) * p.length : p.length;
    float s = std::max(0.0f, std::min(natural, limit));
    limit = s - kItemPitch;
    glm::vec3 dir;
    glm::vec3 c = point_along(p, s, &dir) + glm::vec3{0, kConveyorHeight + kItemSize / 2, 0};
    box(f, c, glm::vec3{kItemSize / 2, kItemSize / 2, kItemSize / 2}, yaw_of(dir), product_color(i->item.product));
    ++f.items_drawn;
  }
}

void draw_flow(const PathGeom& p, std::vector<LineVertex>& lines) {
  const glm::vec3 lift{0, 0.03f, 0};
  for (std::size_t i = 1; i < p.points.size(); ++i) line(lines, p.points[i - 1] + lift, p.points[i] + lift, kFlow);
  // An arrow head at the end.
  glm::vec3 d;
  glm::vec3 tip = point_along(p, p.length, &d) + lift;
  glm::vec3 n{-d.z, 0, d.x};
  line(lines, tip, tip - d * 0.5f + n * 0.3f, kFlow);
  line(lines, tip, tip - d * 0.5f - n * 0.3f, kFlow);
}

}  // namespace

std::array<float, 3> state_color(MachineState s) {
  switch (s) {
    case MachineState::kBusy: return {0.22f, 0.72f, 0.32f};
    case MachineState::kStarved: return {0.96f, 0.74f, 0.18f};
    case MachineState::kBlocked: return {0.33f, 0.42f, 0.92f};
    case MachineState::kDown: return {0.9f, 0.18f, 0.16f};
    case MachineState::kSetup: return {0.68f, 0.36f, 0.86f};
    case MachineState::kWaiting: return {0.95f, 0.52f, 0.78f};
    case MachineState::kMaintenance: return {0.2f, 0.78f, 0.8f};
    case MachineState::kOff: return {0.3f, 0.3f, 0.34f};
  }
  return {1, 1, 1};
}

std::array<float, 3> product_color(uint32_t p) {
  static constexpr std::array<float, 3> kPalette[] = {
      {0.92f, 0.93f, 0.96f}, {0.95f, 0.45f, 0.75f}, {0.35f, 0.85f, 0.9f},  {0.62f, 0.42f, 0.25f},
      {0.7f, 0.55f, 0.95f},  {0.6f, 0.9f, 0.45f},   {0.98f, 0.6f, 0.35f},  {0.5f, 0.5f, 0.55f}};
  return kPalette[p % (sizeof kPalette / sizeof kPalette[0])];
}

MachineState shown_state(sim::MachineStatus s) {
  switch (s) {
    case sim::MachineStatus::kBusy: return MachineState::kBusy;
    case sim::MachineStatus::kBlocked: return MachineState::kBlocked;
    case sim::MachineStatus::kDown: return MachineState::kDown;
    case sim::MachineStatus::kSetup: return MachineState::kSetup;
    case sim::MachineStatus::kMaintenance: return MachineState::kMaintenance;
    case sim::MachineStatus::kIdle: break;
  }
  return MachineState::kStarved;
}

const char* state_name(MachineState s) {
  switch (s) {
    case MachineState::kBusy: return "busy";
    case MachineState::kStarved: return "starved";
    case MachineState::kBlocked: return "blocked";
    case MachineState::kDown: return "down";
    case MachineState::kSetup: return "setup";
    case MachineState::kWaiting: return "waiting";
    case MachineState::kMaintenance: return "maintenance";
    case MachineState::kOff: return "off";
  }
  return "?";
}

void build_grid(const LineLayout& layout, std::vector<LineVertex>& lines) {
  const float margin = 6;
  const int x0 = int(std::floor(layout.lo.x - margin)), x1 = int(std::ceil(layout.hi.x + margin));
  const int z0 = int(std::floor(layout.lo.z - margin)), z1 = int(std::ceil(layout.hi.z + margin));
  const std::array<float, 3> minor{0.71f, 0.74f, 0.78f}, major{0.55f, 0.58f, 0.63f};
  for (int x = x0; x <= x1; ++x)
    line(lines, glm::vec3{float(x), 0, float(z0)}, glm::vec3{float(x), 0, float(z1)}, x % 5 == 0 ? major : minor);
  for (int z = z0; z <= z1; ++z)
    line(lines, glm::vec3{float(x0), 0, float(z)}, glm::vec3{float(x1), 0, float(z)}, z % 5 == 0 ? major : minor);
}

void build_scene(const LineLayout& layout, const sim::LineState& state, const std::vector<double>& travel_mean,
                 long selected, SceneFrame& frame) {
  frame.boxes.clear();
  frame.lines.clear();
  frame.items_drawn = 0;
  for (std::size_t s = 0; s < layout.stations.size(); ++s)
    draw_station(layout.stations[s], state.stations[s], long(s) == selected, frame);
  std::vector<std::vector<const sim::PlacedTransit*>> by_transport(layout.transports.size());
  for (const auto& t : state.transit) by_transport[t.transport].push_back(&t);
  for (auto& items : by_transport)  // front first; a time left to draw (NaN) is at the back
    std::stable_sort(items.begin(), items.end(), [](const sim::PlacedTransit* a, const sim::PlacedTransit* b) {
      return !std::isnan(a->remaining) && (std::isnan(b->remaining) || a->remaining < b->remaining);
    });
  for (std::size_t t = 0; t < layout.transports.size(); ++t) {
    draw_conveyor(layout.transports[t], frame);
    draw_transport_items(layout.transports[t], by_transport[t], travel_mean[t], frame);
  }
  for (const auto& p : layout.flows) draw_flow(p, frame.lines);
}

}  // namespace linetwin::viz
