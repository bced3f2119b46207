// The 3D viewer of a running line: `linetwin view`. Opens a window (GLFW, OpenGL 3.3 core, Dear
// ImGui) that shows the line live, with KPIs, station states, an inspector and what-if edits; or,
// with a screenshot file, renders a number of frames and writes the last one as PNG. The one
// public header of viz/: nothing of GLFW, OpenGL, ImGui or Bullet shows here.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "scenarios/scenario.hpp"
#include "core/result.hpp"

namespace linetwin::viz {

/// What `linetwin view` was asked for.
struct ViewerOptions {
  scenarios::Scenario scenario;
  std::string screenshot;              // a .png path: render `frames` frames, write the last, exit
  uint32_t frames = 120;
  std::optional<double> start_time;    // simulated time to run to, unseen, before the first frame
  std::optional<double> speed;         // simulated seconds per wall second (1 = real time)
  std::string select;                  // a station to select at the start
  int width = 1280, height = 720;
};

/// What a run of the viewer measured.
struct ViewerReport {
  uint32_t frames = 0;
  double seconds = 0;                  // wall time of the frames after the first
  double frames_per_second = 0;        // over the frames after the first
  double sim_time = 0;                 // the simulated clock at the end
};

/// Runs the viewer. An Error is a problem the user can fix (no display, unwritable screenshot);
/// a failing graphics driver throws std::runtime_error.
Result<ViewerReport> run_viewer(const ViewerOptions& options);

/// The default speed for a line: a multiple of real time (1, 2, 5, 10, ...) at which its slowest
/// station takes about half a second of wall time per item.
double default_speed(const scenarios::Scenario& scenario);

}  // namespace linetwin::viz
