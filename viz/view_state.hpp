// Private to viz/: the state the window's panels and the main loop share.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "viz/camera.hpp"
#include "viz/layout.hpp"
#include "viz/live_line.hpp"
#include "viz/picking.hpp"
#include "viz/scene.hpp"
#include "viz/workers.hpp"

namespace linetwin::viz {

struct ViewState {
  explicit ViewState(scenarios::Scenario sc) : live(sc), draft(std::move(sc)) {}

  LiveLine live;
  scenarios::Scenario draft;           // what-if edits, run on "restart with changes"
  bool draft_changed = false;
  LineLayout layout;
  WorkerCrowd crowd;                   // the workers' figures
  bool crowd_placed = false;           // false: the next frame puts them where they are needed
  std::unique_ptr<StationPicker> picker;
  std::vector<LineVertex> grid;
  bool grid_changed = true;
  OrbitCamera camera;
  bool fit_camera = true;
  bool needs_relayout = false;         // the scenario run has changed

  bool playing = true;
  bool max_speed = false;
  float speed = 1;                     // multiple of real time
  double unit_seconds = 1;             // seconds in one time unit of the scenario
  double step = 1;                     // simulated time of one "step"
  long selected = -1;

  char save_path[512] = "";
  std::string message;
  bool message_is_error = false;

  /// Rebuilds the layout, picker and grid for the scenario being run.
  void relayout();
};

/// Space the panels take at the window's left and right.
inline constexpr float kLeftPanel = 330, kRightPanel = 360;

/// Draws the panels; they change `state` (play, speed, selection, what-if).
void draw_panels(ViewState& state, float width, float height);
/// Draws station names over the scene at their projected places (scene viewport in pixels).
void draw_labels(const ViewState& state, const glm::mat4& view_proj, float x, float y, float w, float h);
/// "1d 02:03:04.5" style clock for a time in the scenario's unit.
std::string clock_text(double t, double unit_seconds);

}  // namespace linetwin::viz
