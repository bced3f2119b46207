// Shaders: boxes are a unit cube scaled, turned about y and moved per instance, lit by one sun and
// the sky, with their edges darkened (from the fragment's distance to the face's border) so that
// stacked items read as separate units without a second pass.
#include "viz/renderer.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <glm/geometric.hpp>
#include <glm/gtc/type_ptr.hpp>

#include "viz/gl.hpp"

namespace linetwin::viz {
namespace {

const char* kBoxVertex = R"(#version 330 core
layout(location = 0) in vec3 a_pos;
layout(location = 1) in vec3 a_normal;
layout(location = 2) in vec3 i_center;
layout(location = 3) in vec3 i_half;
layout(location = 4) in float i_yaw;
layout(location = 5) in vec3 i_color;
uniform mat4 u_view_proj;
out vec3 v_normal;
out vec3 v_color;
out vec3 v_local;
out vec3 v_half;
out vec3 v_face;
void main() {
  float c = cos(i_yaw), s = sin(i_yaw);
  vec3 p = a_pos * i_half;
  vec3 r = vec3(c * p.x + s * p.z, p.y, -s * p.x + c * p.z);
  v_normal = vec3(c * a_normal.x + s * a_normal.z, a_normal.y, -s * a_normal.x + c * a_normal.z);
  v_color = i_color;
  v_local = p;
  v_half = i_half;
  v_face = a_normal;
  gl_Position = u_view_proj * vec4(i_center + r, 1.0);
}
)";

const char* kBoxFragment = R"(#version 330 core
in vec3 v_normal;
in vec3 v_color;
in vec3 v_local;
in vec3 v_half;
in vec3 v_face;
uniform vec3 u_light;
out vec4 frag;
void main() {
  vec3 n = normalize(v_normal);
  float sun = max(dot(n, u_light), 0.0);
  float sky = 0.5 + 0.5 * n.y;
  vec3 e = v_half - abs(v_local);
  float edge = 1e9;
  if (abs(v_face.x) < 0.5) edge = min(edge, e.x);
  if (abs(v_face.y) < 0.5) edge = min(edge, e.y);
  if (abs(v_face.z) < 0.5) edge = min(edge, e.z);
  float width = min(0.035, 0.18 * min(min(v_half.x, v_half.y), v_half.z));
  float k = mix(0.6, 1.0, smoothstep(0.0, width, edge));
  frag = vec4(v_color * (0.32 + 0.23 * sky + 0.55 * sun) * k, 1.0);
}
)";

const char* kLineVertex = R"(#version 330 core
layout(location = 0) in vec3 a_pos;
layout(location = 1) in vec3 a_color;
uniform mat4 u_view_proj;
out vec3 v_color;
void main() {
  v_color = a_color;
  gl_Position = u_view_proj * vec4(a_pos, 1.0);
}
)";

const char* kLineFragment = R"(#version 330 core
in vec3 v_color;
out vec4 frag;
void main() { frag = vec4(v_color, 1.0); }
)";

GLuint compile(GLenum kind, const char* src) {
  GLuint s = glCreateShader(kind);
  glShaderSource(s, 1, &src, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[2048];
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    throw std::runtime_error(std::string("the viewer's shader does not compile: ") + log);
  }
  return s;
}

GLuint program(const char* vs, const char* fs) {
  GLuint p = glCreateProgram();
  GLuint v = compile(GL_VERTEX_SHADER, vs), f = compile(GL_FRAGMENT_SHADER, fs);
  glAttachShader(p, v);
  glAttachShader(p, f);
  glLinkProgram(p);
  glDeleteShader(v);
  glDeleteShader(f);
  GLint ok = 0;
  glGetProgramiv(p, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[2048];
    glGetProgramInfoLog(p, sizeof log, nullptr, log);
    throw std::runtime_error(std::string("the viewer's shaders do not link: ") + log);
  }
  return p;
}

// The unit cube [-1, 1]^3 as 12 triangles with face normals, counter-clockwise from outside.
std::vector<float> cube() {
  std::vector<float> v;
  const float corners[4][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
  const int tri[6] = {0, 1, 2, 0, 2, 3};
  for (int f = 0; f < 6; ++f) {
    const int a = f / 2, b = (a + 1) % 3, c = (a + 2) % 3;  // the normal's axis, then the face's
    const float sign = f % 2 == 0 ? 1.0f : -1.0f;
    for (int k = 0; k < 6; ++k) {
      float p[3], n[3] = {0, 0, 0};
      const float s = corners[tri[k]][0], t = corners[tri[k]][1];
      p[a] = sign;
      p[b] = sign > 0 ? s : t;  // swapped on the negative face to keep the winding
      p[c] = sign > 0 ? t : s;
      n[a] = sign;
      v.insert(v.end(), {p[0], p[1], p[2], n[0], n[1], n[2]});
    }
  }
  return v;
}

}  // namespace

Renderer::Renderer() {
  box_program_ = program(kBoxVertex, kBoxFragment);
  line_program_ = program(kLineVertex, kLineFragment);
  box_view_proj_ = glGetUniformLocation(box_program_, "u_view_proj");
  box_light_ = glGetUniformLocation(box_program_, "u_light");
  line_view_proj_ = glGetUniformLocation(line_program_, "u_view_proj");

  const std::vector<float> c = cube();
  glGenVertexArrays(1, &cube_vao_);
  glBindVertexArray(cube_vao_);
  glGenBuffers(1, &cube_vbo_);
  glBindBuffer(GL_ARRAY_BUFFER, cube_vbo_);
  glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(c.size() * sizeof(float)), c.data(), GL_STATIC_DRAW);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, 6 * sizeof(float), nullptr);
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, 6 * sizeof(float), reinterpret_cast<void*>(3 * sizeof(float)));
  glGenBuffers(1, &instance_vbo_);
  glBindBuffer(GL_ARRAY_BUFFER, instance_vbo_);
  const GLsizei stride = sizeof(BoxInstance);
  auto attr = [&](GLuint loc, GLint n, std::size_t offset) {
    glEnableVertexAttribArray(loc);
    glVertexAttribPointer(loc, n, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offset));
    glVertexAttribDivisor(loc, 1);
  };
  attr(2, 3, offsetof(BoxInstance, center));
  attr(3, 3, offsetof(BoxInstance, half));
  attr(4, 1, offsetof(BoxInstance, yaw));
  attr(5, 3, offsetof(BoxInstance, color));

  for (auto [vao, vbo] : {std::pair{&line_vao_, &line_vbo_}, std::pair{&grid_vao_, &grid_vbo_}}) {
    glGenVertexArrays(1, vao);
    glBindVertexArray(*vao);
    glGenBuffers(1, vbo);
    glBindBuffer(GL_ARRAY_BUFFER, *vbo);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, sizeof(LineVertex), nullptr);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, sizeof(LineVertex), reinterpret_cast<void*>(offsetof(LineVertex, color)));
  }
  glBindVertexArray(0);
  if (glGetError() != GL_NO_ERROR) throw std::runtime_error("the viewer cannot set up its OpenGL buffers");
}

Renderer::~Renderer() {
  const GLuint buffers[] = {cube_vbo_, instance_vbo_, line_vbo_, grid_vbo_};
  glDeleteBuffers(4, buffers);
  const GLuint arrays[] = {cube_vao_, line_vao_, grid_vao_};
  glDeleteVertexArrays(3, arrays);
  glDeleteProgram(box_program_);
  glDeleteProgram(line_program_);
  if (fbo_) {
    glDeleteFramebuffers(1, &fbo_);
    glDeleteRenderbuffers(1, &color_rb_);
    glDeleteRenderbuffers(1, &depth_rb_);
  }
}

void Renderer::make_target(int w, int h) {
  if (fbo_ && w == target_w_ && h == target_h_) return;
  if (!fbo_) {
    glGenFramebuffers(1, &fbo_);
    glGenRenderbuffers(1, &color_rb_);
    glGenRenderbuffers(1, &depth_rb_);
  }
  glBindRenderbuffer(GL_RENDERBUFFER, color_rb_);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
  glBindRenderbuffer(GL_RENDERBUFFER, depth_rb_);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, w, h);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, color_rb_);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, depth_rb_);
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
    throw std::runtime_error("the viewer cannot make its offscreen framebuffer");
  target_w_ = w;
  target_h_ = h;
}

void Renderer::begin_frame(int w, int h) {
  make_target(w, h);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glViewport(0, 0, w, h);
  glDisable(GL_SCISSOR_TEST);
  glClearColor(0.78f, 0.81f, 0.85f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
}

void Renderer::draw_scene(const SceneFrame& frame, const std::vector<LineVertex>& grid, bool grid_changed,
                          const glm::mat4& view_proj, int x, int y, int w, int h) {
  glViewport(x, y, w, h);
  glEnable(GL_DEPTH_TEST);
  glDepthFunc(GL_LESS);
  glEnable(GL_CULL_FACE);
  glDisable(GL_BLEND);

  glUseProgram(line_program_);
  glUniformMatrix4fv(line_view_proj_, 1, GL_FALSE, glm::value_ptr(view_proj));
  if (grid_changed) {
    glBindBuffer(GL_ARRAY_BUFFER, grid_vbo_);
    glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(grid.size() * sizeof(LineVertex)), grid.data(), GL_STATIC_DRAW);
    grid_count_ = int(grid.size());
  }
  glBindVertexArray(grid_vao_);
  glDrawArrays(GL_LINES, 0, grid_count_);
  if (!frame.lines.empty()) {
    glBindBuffer(GL_ARRAY_BUFFER, line_vbo_);
    glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(frame.lines.size() * sizeof(LineVertex)), frame.lines.data(), GL_STREAM_DRAW);
    glBindVertexArray(line_vao_);
    glDrawArrays(GL_LINES, 0, GLsizei(frame.lines.size()));
  }

  if (!frame.boxes.empty()) {
    glUseProgram(box_program_);
    glUniformMatrix4fv(box_view_proj_, 1, GL_FALSE, glm::value_ptr(view_proj));
    const glm::vec3 light = glm::normalize(glm::vec3{0.45f, 0.8f, 0.35f});
    glUniform3f(box_light_, light.x, light.y, light.z);
    glBindBuffer(GL_ARRAY_BUFFER, instance_vbo_);
    glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(frame.boxes.size() * sizeof(BoxInstance)), frame.boxes.data(), GL_STREAM_DRAW);
    glBindVertexArray(cube_vao_);
    glDrawArraysInstanced(GL_TRIANGLES, 0, 36, GLsizei(frame.boxes.size()));
  }
  glBindVertexArray(0);
  glUseProgram(0);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
}

void Renderer::fill(int x, int y, int w, int h, float r, float g, float b) {
  glEnable(GL_SCISSOR_TEST);
  glScissor(x, y, w, h);
  glClearColor(r, g, b, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  glDisable(GL_SCISSOR_TEST);
}

void Renderer::present(int w, int h) {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo_);
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
  glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
}

std::vector<uint8_t> Renderer::read_rgb(int w, int h) {
  std::vector<uint8_t> rgba(std::size_t(w) * h * 4), rgb(std::size_t(w) * h * 3);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo_);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        rgb[(std::size_t(y) * w + x) * 3 + c] = rgba[(std::size_t(h - 1 - y) * w + x) * 4 + c];
  return rgb;
}

}  // namespace linetwin::viz
