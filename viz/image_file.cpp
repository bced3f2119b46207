// PNG encoding in memory with stb_image_write (libstb), then an atomic write; reading with stb_image.
#include "viz/image_file.hpp"

#include <stb_image.h>
#include <stb_image_write.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "core/files.hpp"

namespace linetwin::viz {

Result<bool> check_png_path(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  std::string ext = target.extension().string();
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (ext != ".png") return Error::in("--screenshot", "expected a file name ending in .png, got '" + path + "'");
  std::error_code ec;
  if (fs::is_directory(target, ec)) return Error::in(path, "cannot write the screenshot: it is a directory");
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    return Error::in(path, "cannot write the screenshot: the folder " + dir.string() + " does not exist");
  if (::access(dir.c_str(), W_OK) != 0)
    return Error::in(path, "cannot write the screenshot: the folder " + dir.string() + " is not writable");
  return true;
}

Result<bool> write_png(const std::string& path, int w, int h, const std::vector<uint8_t>& rgb) {
  std::string bytes;
  auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), std::size_t(size));
  };
  if (!stbi_write_png_to_func(append, &bytes, w, h, 3, rgb.data(), w * 3))
    return Error::in(path, "cannot encode the screenshot as PNG");
  return write_file_whole(path, bytes);
}

Result<Image> read_png(const std::string& path) {
  int w = 0, h = 0, channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &channels, 3);
  if (!data) return Error::in(path, std::string("cannot read the image: ") + stbi_failure_reason());
  Image img{w, h, std::vector<uint8_t>(data, data + std::size_t(w) * h * 3)};
  stbi_image_free(data);
  return img;
}

}  // namespace linetwin::viz
