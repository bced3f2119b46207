// Draws a SceneFrame with OpenGL 3.3 core: every box in one instanced draw call (a unit cube and
// one buffer of instances per frame), every line in one more; and an offscreen framebuffer that
// frames are drawn into, shown in the window and read back for screenshots. Needs a current
// context; knows nothing of the line or of ImGui.
#pragma once
#include <cstdint>
#include <glm/mat4x4.hpp>
#include <glm/vec3.hpp>
#include <vector>

#include "viz/scene.hpp"

namespace linetwin::viz {

class Renderer {
 public:
  /// Compiles the shaders and makes the buffers; throws std::runtime_error when the driver refuses.
  Renderer();
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  /// Binds the offscreen target, sized w x h (remade when the size changes), and clears it.
  void begin_frame(int w, int h);
  /// Draws the static lines (the grid, uploaded once) and the frame's boxes and lines in the
  /// viewport (x, y, w, h), y from the bottom.
  void draw_scene(const SceneFrame& frame, const std::vector<LineVertex>& grid, bool grid_changed,
                  const glm::mat4& view_proj, int x, int y, int w, int h);
  /// Fills the rectangle (x, y, w, h), y from the bottom, with a colour: panel backgrounds.
  void fill(int x, int y, int w, int h, float r, float g, float b);
  /// Copies the offscreen target to the window's framebuffer.
  void present(int w, int h);
  /// The offscreen target's pixels as RGB rows, top row first.
  std::vector<uint8_t> read_rgb(int w, int h);

 private:
  void make_target(int w, int h);
  uint32_t box_program_ = 0, line_program_ = 0;
  uint32_t cube_vao_ = 0, cube_vbo_ = 0, instance_vbo_ = 0;
  uint32_t line_vao_ = 0, line_vbo_ = 0, grid_vao_ = 0, grid_vbo_ = 0;
  int grid_count_ = 0;
  int box_view_proj_ = -1, line_view_proj_ = -1, box_light_ = -1;
  uint32_t fbo_ = 0, color_rb_ = 0, depth_rb_ = 0;
  int target_w_ = 0, target_h_ = 0;
};

}  // namespace linetwin::viz
