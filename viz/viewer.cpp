// The window and its loop: GLFW for the window and input, ImGui for the panels, the Renderer for
// the scene. Each frame: advance the line (by wall time times the speed; by a fixed 1/60 s in
// screenshot mode, so that a screenshot does not depend on the machine's speed), handle the
// mouse (orbit, pan, zoom, pick), build the scene, draw it and the panels offscreen, show it.
#include "viz/viewer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#include "viz/gl.hpp"
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "viz/image_file.hpp"
#include "viz/renderer.hpp"
#include "viz/view_state.hpp"

namespace linetwin::viz {
namespace {

std::string g_glfw_error;
float g_scroll = 0;

void on_glfw_error(int, const char* description) { g_glfw_error = description ? description : "unknown"; }
void on_scroll(GLFWwindow*, double, double dy) { g_scroll += float(dy); }


// GLFW and ImGui set up and torn down in order, whatever happens in between.
struct Window {
  GLFWwindow* window = nullptr;
  bool imgui = false;
  ~Window() {
    if (imgui) {
      ImGui_ImplOpenGL3_Shutdown();
      ImGui_ImplGlfw_Shutdown();
      ImGui::DestroyContext();
    }
    if (window) glfwDestroyWindow(window);
    glfwTerminate();
  }
};

// A mouse drag in the scene: where the button went down (to tell a click from a drag) and where
// the pointer was at the last frame.
struct Drag {
  bool dragging = false;
  double press_x = 0, press_y = 0, last_x = 0, last_y = 0;
};

void handle_mouse(ViewState& st, GLFWwindow* window, float sx, float sw, float sh, Drag& drag) {
  auto& [dragging, press_x, press_y, last_x, last_y] = drag;
  const ImGuiIO& io = ImGui::GetIO();
  double mx, my;
  glfwGetCursorPos(window, &mx, &my);
  const bool left = glfwGetMouseButton(window, GLFW_MOUSE_BUTTON_LEFT) == GLFW_PRESS;
  const bool right = glfwGetMouseButton(window, GLFW_MOUSE_BUTTON_RIGHT) == GLFW_PRESS ||
                     glfwGetMouseButton(window, GLFW_MOUSE_BUTTON_MIDDLE) == GLFW_PRESS;
  const bool in_scene = mx >= sx && mx < sx + sw && !io.WantCaptureMouse;
  if ((left || right) && !dragging && in_scene) {
    dragging = true;
    press_x = last_x = mx;
    press_y = last_y = my;
  }
  if (dragging && (left || right)) {
    const float dx = float(mx - last_x), dy = float(my - last_y);
    const bool shift = glfwGetKey(window, GLFW_KEY_LEFT_SHIFT) == GLFW_PRESS;
    if (right || shift)
      st.camera.pan(dx, dy, sh);
    else
      st.camera.orbit(dx, dy);
    last_x = mx;
    last_y = my;
  }
  if (dragging && !left && !right) {
    dragging = false;
    // A click that did not move picks the station under it.
    if (std::abs(mx - press_x) + std::abs(my - press_y) < 4 && st.picker) {
      auto hit = st.picker->pick(st.camera.ray(float(mx - sx), float(my), sw, sh));
      st.selected = hit ? long(*hit) : -1;
    }
  }
  if (g_scroll != 0 && in_scene) st.camera.zoom(g_scroll);
  g_scroll = 0;
}

}  // namespace

void ViewState::relayout() {
  layout = make_layout(live.scenario().line, live.scenario().layout);
  picker = std::make_unique<StationPicker>(layout);
  grid.clear();
  build_grid(layout, grid);
  grid_changed = true;
  crowd.reset(live.scenario().line, layout);
  crowd_placed = false;
  needs_relayout = false;
  if (selected >= long(layout.stations.size())) selected = -1;
}

double default_speed(const scenarios::Scenario& sc) {
  double slowest = 0;
  for (const auto& st : sc.line.stations)
    for (const auto& d : st.process) slowest = std::max(slowest, d.mean() / double(st.machines));
  const double want = slowest * seconds_in(sc.line.time_unit) / 0.5;
  double speed = 1;
  for (double decade = 1; decade < 1e7; decade *= 10)
    for (double m : {1.0, 2.0, 5.0})
      if (m * decade <= want) speed = m * decade;
  return speed;
}

namespace {

// Where the scene goes in the window: between the two panels, in window coordinates, and the
// framebuffer's pixels per window unit (2 on a high-density display).
struct Viewport {
  int fw = 0, fh = 0;                       // the framebuffer, pixels
  float ww = 0, wh = 0;                     // the window
  float scale = 1, left = 0, sw = 1, sh = 1;
};

Viewport viewport_of(GLFWwindow* window) {
  Viewport v;
  glfwGetFramebufferSize(window, &v.fw, &v.fh);
  int ww, wh;
  glfwGetWindowSize(window, &ww, &wh);
  v.ww = float(ww);
  v.wh = float(wh);
  v.scale = ww > 0 ? float(v.fw) / v.ww : 1;
  v.left = std::min(kLeftPanel, v.ww / 3);
  const float right = std::min(kRightPanel, v.ww / 3);
  v.sw = std::max(1.0f, v.ww - v.left - right);
  v.sh = v.wh;
  return v;
}

// Opens the window with an OpenGL 3.3 core context and starts ImGui on it; an error when there is
// no display to open it on.
Result<bool> open_window(Window& win, const ViewerOptions& opt, bool headless) {
  const char* display = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  if ((!display || !*display) && (!wayland || !*wayland))
    return Error::in("linetwin view", "there is no display to open a window on (DISPLAY is not set); run it in a desktop session, "
                 "or headless as: xvfb-run -a linetwin view SCENARIO --screenshot FILE.png");

  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit())
    return Error::in("linetwin view", "cannot open the display '" + std::string(display ? display : "") +
                                                "' (" + g_glfw_error + "); run it headless as: xvfb-run -a linetwin view SCENARIO --screenshot FILE.png");
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_RESIZABLE, headless ? GLFW_FALSE : GLFW_TRUE);
  const std::string title = "linetwin - " + opt.scenario.line.name;
  win.window = glfwCreateWindow(opt.width, opt.height, title.c_str(), nullptr, nullptr);
  if (!win.window) throw std::runtime_error("cannot make an OpenGL 3.3 core window: " + g_glfw_error);
  glfwMakeContextCurrent(win.window);
  glfwSwapInterval(headless ? 0 : 1);
  glfwSetScrollCallback(win.window, on_scroll);  // before ImGui, which chains to it

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini left in the user's folder
  ImGui::StyleColorsDark();
  ImGui::GetStyle().WindowRounding = 0;
  // Plain triangles and opaque panels: fewer pixels to blend for a software renderer.
  ImGui::GetStyle().AntiAliasedLines = false;
  ImGui::GetStyle().AntiAliasedFill = false;
  ImGui::GetStyle().Colors[ImGuiCol_WindowBg].w = 1.0f;
  if (!ImGui_ImplGlfw_InitForOpenGL(win.window, true) || !ImGui_ImplOpenGL3_Init("#version 330 core"))
    throw std::runtime_error("cannot start Dear ImGui on this OpenGL context");
  win.imgui = true;
  return true;
}

// The view as the options ask for it: speed, step, the selected station, the start time.
void start_view(ViewState& st, const ViewerOptions& opt) {
  st.unit_seconds = seconds_in(opt.scenario.line.time_unit);
  st.speed = float(opt.speed ? *opt.speed : default_speed(opt.scenario));
  double slowest = 0;
  for (const auto& s : opt.scenario.line.stations)
    for (const auto& d : s.process) slowest = std::max(slowest, d.mean());
  st.step = slowest > 0 ? slowest : 1;
  std::snprintf(st.save_path, sizeof st.save_path, "%s", "what_if.yaml");
  st.relayout();
  for (std::size_t s = 0; s < opt.scenario.line.stations.size(); ++s)
    if (opt.scenario.line.stations[s].name == opt.select) st.selected = long(s);
  if (opt.start_time) st.live.advance_to(*opt.start_time);
}

// Draws one frame offscreen: the panels (which may change the view), the scene between them, and
// the panels over it. The caller shows it.
void draw_frame(ViewState& st, Renderer& renderer, SceneFrame& frame, const Viewport& v, GLFWwindow* window,
                Drag* drag) {
  if (st.fit_camera) {
    st.camera.fit(st.layout.lo, st.layout.hi, v.sw / v.sh);
    st.fit_camera = false;
  }
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  draw_panels(st, v.ww, v.wh);
  if (st.needs_relayout) st.relayout();
  if (drag) handle_mouse(st, window, v.left, v.sw, v.sh, *drag);
  const glm::mat4 view_proj = st.camera.projection(v.sw / v.sh) * st.camera.view();
  draw_labels(st, view_proj, v.left, 0, v.sw, v.sh);
  ImGui::Render();

  build_scene(st.layout, st.live.state(), st.live.travel_mean(), st.selected, frame);
  // Workers walk at 6 m a second of wall time (a frame is 1/60 s), faster than life so that they
  // keep up with a line shown faster than life; the first frame puts them in place.
  st.crowd.update(st.live.scenario().line, st.layout, st.live.state(),
                  st.crowd_placed ? 0.1f : std::numeric_limits<float>::infinity());
  st.crowd_placed = true;
  st.crowd.draw(frame);
  renderer.begin_frame(v.fw, v.fh);
  renderer.draw_scene(frame, st.grid, st.grid_changed, view_proj, int(v.left * v.scale), 0, int(v.sw * v.scale), v.fh);
  st.grid_changed = false;
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  const int scene_end = int((v.left + v.sw) * v.scale);
  renderer.fill(0, 0, int(v.left * v.scale), v.fh, bg.x, bg.y, bg.z);
  renderer.fill(scene_end, 0, v.fw - scene_end, v.fh, bg.x, bg.y, bg.z);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace

Result<ViewerReport> run_viewer(const ViewerOptions& opt) {
  const bool headless = !opt.screenshot.empty();
  if (headless)
    if (auto ok = check_png_path(opt.screenshot); !ok) return ok.error();
  Window win;
  if (auto ok = open_window(win, opt, headless); !ok) return ok.error();
  Renderer renderer;
  ViewState st(opt.scenario);
  start_view(st, opt);

  SceneFrame frame;
  ViewerReport report;
  Drag drag;
  using Clock = std::chrono::steady_clock;
  auto last = Clock::now();
  Clock::time_point first_done;
  for (uint32_t n = 0; headless ? n < opt.frames : !glfwWindowShouldClose(win.window); ++n) {
    glfwPollEvents();
    const auto now = Clock::now();
    // Screenshots advance by a fixed 1/60 s so that they do not depend on the machine's speed.
    const double wall_dt = headless ? 1.0 / 60 : std::min(0.1, std::chrono::duration<double>(now - last).count());
    last = now;
    if (st.playing && !st.live.over()) {
      if (st.max_speed)
        st.live.advance_for(0.012);
      else
        st.live.advance_to(st.live.now() + wall_dt * double(st.speed) / st.unit_seconds);
    }
    const Viewport v = viewport_of(win.window);
    if (v.fw <= 0 || v.fh <= 0) continue;  // minimised
    draw_frame(st, renderer, frame, v, win.window, headless ? nullptr : &drag);
    if (headless && n + 1 == opt.frames) {
      auto ok = write_png(opt.screenshot, v.fw, v.fh, renderer.read_rgb(v.fw, v.fh));
      if (!ok) return ok.error();
    }
    renderer.present(v.fw, v.fh);
    glfwSwapBuffers(win.window);
    if (n == 0) first_done = Clock::now();
    ++report.frames;
  }
  if (report.frames > 1) {
    report.seconds = std::chrono::duration<double>(Clock::now() - first_done).count();
    report.frames_per_second = report.seconds > 0 ? double(report.frames - 1) / report.seconds : 0;
  }
  report.sim_time = st.live.now();
  return report;
}

}  // namespace linetwin::viz
