// Where the viewer draws each part of a line: station places from the scenario's `layout:` or,
// for stations it leaves out, laid out along the flow (layers by route order, long lines folded
// into rows); transports and plain flows as paths on the floor. Plain C++ and no graphics: the
// geometry is tested without a window. The floor is the x-z plane, y points up, units are metres.
#pragma once
#include <cstdint>
#include <glm/vec3.hpp>
#include <vector>

#include "scenarios/scenario.hpp"

namespace linetwin::viz {

inline constexpr float kMachineSize = 1.2f;     // a machine's footprint edge
inline constexpr float kMachineHeight = 1.0f;
inline constexpr float kMachinePitch = 1.6f;    // between parallel machines
inline constexpr float kItemSize = 0.3f;        // an item's cube edge
inline constexpr float kItemPitch = 0.38f;      // between items in a buffer or on a conveyor
inline constexpr int kBufferColumns = 4;        // items across a buffer's pallet
inline constexpr int kBufferRows = 3;           // items along it, per layer
inline constexpr float kConveyorHeight = 0.5f;  // the conveyor's top surface

/// A station's place and the places of its parts.
struct StationGeom {
  glm::vec3 center;           // the middle of its machines, on the floor
  glm::vec3 dir;              // the way items flow (unit, in the floor plane)
  glm::vec3 side;             // across the flow (unit)
  float yaw = 0;         // rotation about y that turns +x into dir, in radians
  std::vector<glm::vec3> machines;  // each machine's centre on the floor
  glm::vec3 buffer;           // the middle of the buffer's pallet on the floor
  bool has_buffer = true;
  glm::vec3 entry, exit;      // where items come in and leave
  glm::vec3 box_center, box_half;   // a box (before yaw, about box_center) around the whole station
};

/// A path on the floor: a transport's conveyor or a plain flow from one station to the next.
struct PathGeom {
  uint32_t from = 0, to = 0;
  std::vector<glm::vec3> points;    // at least two
  std::vector<float> at;       // distance along the path to each point
  float length = 0;
};

/// The geometry of a whole line.
struct LineLayout {
  std::vector<StationGeom> stations;   // by station index
  std::vector<PathGeom> transports;    // by transport index
  std::vector<PathGeom> flows;         // consecutive route steps with no transport, once each
  glm::vec3 lo, hi;                         // bounds of everything on the floor
};

/// Lays out `line`, honouring the places and waypoints `given`.
LineLayout make_layout(const sim::LineDef& line, const scenarios::Layout& given);

/// The point `distance` along a path (clamped to its ends), and the direction there.
glm::vec3 point_along(const PathGeom& path, float distance, glm::vec3* direction = nullptr);

/// The layer of each station along the flow: 0 for the first, each route step one further
/// (steps that lead back, as in a rework loop, are ignored).
std::vector<uint32_t> flow_layers(const sim::LineDef& line);

}  // namespace linetwin::viz
