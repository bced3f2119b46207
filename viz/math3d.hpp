// Small 3D math for the viewer: vectors and column-major 4x4 matrices as OpenGL takes them.
// Plain C++ with no graphics library; not a general linear-algebra package.
#pragma once
#include <cmath>

namespace linetwin::viz {

struct Vec3 {
  float x = 0, y = 0, z = 0;
};

inline Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline Vec3 operator*(Vec3 a, float s) { return {a.x * s, a.y * s, a.z * s}; }
inline Vec3 operator*(float s, Vec3 a) { return a * s; }
/// The dot product.
inline float dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
/// The cross product.
inline Vec3 cross(Vec3 a, Vec3 b) { return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x}; }
/// The Euclidean length.
inline float length(Vec3 a) { return std::sqrt(dot(a, a)); }
/// `a` scaled to length 1 (unchanged when it is 0).
inline Vec3 normalize(Vec3 a) {
  float l = length(a);
  return l > 0 ? a * (1 / l) : a;
}

/// A 4x4 matrix, column-major: m[col * 4 + row].
struct Mat4 {
  float m[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
};

/// The product a * b.
inline Mat4 operator*(const Mat4& a, const Mat4& b) {
  Mat4 r;
  for (int c = 0; c < 4; ++c)
    for (int row = 0; row < 4; ++row) {
      float s = 0;
      for (int k = 0; k < 4; ++k) s += a.m[k * 4 + row] * b.m[c * 4 + k];
      r.m[c * 4 + row] = s;
    }
  return r;
}

/// A point transformed by m, divided by w: clip space into normalized device coordinates.
inline Vec3 transform_point(const Mat4& m, Vec3 p) {
  float x = m.m[0] * p.x + m.m[4] * p.y + m.m[8] * p.z + m.m[12];
  float y = m.m[1] * p.x + m.m[5] * p.y + m.m[9] * p.z + m.m[13];
  float z = m.m[2] * p.x + m.m[6] * p.y + m.m[10] * p.z + m.m[14];
  float w = m.m[3] * p.x + m.m[7] * p.y + m.m[11] * p.z + m.m[15];
  return w != 0 ? Vec3{x / w, y / w, z / w} : Vec3{x, y, z};
}

/// A right-handed view matrix looking from eye at target.
Mat4 look_at(Vec3 eye, Vec3 target, Vec3 up);
/// A perspective projection (fovy in radians) onto OpenGL's clip cube.
Mat4 perspective(float fovy, float aspect, float near, float far);
/// The inverse of m (the identity when m is singular).
Mat4 inverse(const Mat4& m);

}  // namespace linetwin::viz
