// What one frame shows, as plain data: boxes (machines, buffers' items, conveyors, items on them)
// and coloured lines (the floor grid, flows), built from the layout and a picture of the line at one
// moment: a sim::LineState, as the kernel reports it (LineSim::state) and as the twin's mirror
// builds it from a real line's events (live::Mirror::line_state), so that one scene draws either.
// No graphics calls here: the renderer draws this in one instanced call for all boxes.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "sim/line_def.hpp"
#include "viz/layout.hpp"
#include "sim/line_state.hpp"
#include "viz/line_figures.hpp"

namespace linetwin::viz {

/// A shaded box: centre, half extents before the rotation yaw about y, colour.
struct BoxInstance {
  float center[3];
  float half[3];
  float yaw;
  float color[3];
};

/// One end of a coloured line segment.
struct LineVertex {
  float pos[3];
  float color[3];
};

/// The colour of a machine state: busy green, starved amber, blocked blue, down red.
std::array<float, 3> state_color(MachineState s);
/// The colour of product p's items.
std::array<float, 3> product_color(uint32_t p);
/// The name of a machine state, for the legend and the inspector.
const char* state_name(MachineState s);
/// The state a placed machine is drawn in: an idle machine is starved (it waits for work).
MachineState shown_state(sim::MachineStatus s);
/// The same for a placed machine: off its calendar whatever it holds.
inline MachineState shown_state(const sim::PlacedMachine& m) { return m.off ? MachineState::kOff : shown_state(m.status); }

/// The boxes and lines of a frame.
struct SceneFrame {
  std::vector<BoxInstance> boxes;
  std::vector<LineVertex> lines;
  uint32_t items_drawn = 0;
};

/// The most items drawn in one buffer; more are counted on the station's label.
inline constexpr uint32_t kMaxDrawnPerBuffer = 240;

/// Fills `frame` (cleared first) with the line in `state`. `travel_mean[t]` is transport t's mean
/// travel time, for placing an item along it by the travel time it has left; `selected` is the
/// selected station or -1.
void build_scene(const LineLayout& layout, const sim::LineState& state, const std::vector<double>& travel_mean,
                 long selected, SceneFrame& frame);

/// The floor grid around the layout's bounds, in lines of 1 m (every 5th darker).
void build_grid(const LineLayout& layout, std::vector<LineVertex>& lines);

}  // namespace linetwin::viz
