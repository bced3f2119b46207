// Screenshots as PNG files: checked before any drawing, written whole or not at all. Plain C++
// (stb_image_write), no graphics.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace linetwin::viz {

/// An image as RGB rows, top row first.
struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;
};

/// Whether a PNG can be written at `path` (a .png name in an existing, writable folder).
Result<bool> check_png_path(const std::string& path);
/// Writes w x h RGB pixels (top row first) as a PNG at `path`, through a temporary file.
Result<bool> write_png(const std::string& path, int w, int h, const std::vector<uint8_t>& rgb);
/// Reads a PNG (or any image stb_image reads) as RGB.
Result<Image> read_png(const std::string& path);

}  // namespace linetwin::viz
