#include "app/output_files.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace linetwin::cli {
namespace fs = std::filesystem;

Result<bool> prepare_output_dir(const std::string& dir, const std::string& command) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    return Error{"linetwin " + command, 0, 0, "",
                 "option '--out' expects a directory that can be created, got '" + dir + "'" +
                     (ec ? " (" + ec.message() + ")" : std::string(" (a file of that name exists)"))};
  if (access(dir.c_str(), W_OK) != 0)
    return Error{"linetwin " + command, 0, 0, "", "cannot write into directory '" + dir + "'"};
  return true;
}

Result<bool> write_files_atomically(const std::string& dir,
                                    const std::vector<std::pair<std::string, std::string>>& files,
                                    const std::string& command) {
  std::vector<fs::path> temps;
  auto cleanup = [&] {
    std::error_code ec;
    for (const auto& t : temps) fs::remove(t, ec);
  };
  for (const auto& [name, content] : files) {
    const fs::path tmp = fs::path(dir) / ("." + name + ".tmp" + std::to_string(getpid()));
    temps.push_back(tmp);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) {
      cleanup();
      return Error{"linetwin " + command, 0, 0, "", "cannot write '" + (fs::path(dir) / name).string() + "'"};
    }
  }
  for (size_t i = 0; i < files.size(); ++i) {
    std::error_code ec;
    fs::rename(temps[i], fs::path(dir) / files[i].first, ec);
    if (ec) {
      cleanup();
      return Error{"linetwin " + command, 0, 0, "",
                   "cannot move '" + files[i].first + "' into place: " + ec.message()};
    }
  }
  return true;
}

Result<bool> write_file_atomically(const std::string& path, const std::string& content,
                                   const std::string& command) {
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (target.filename().empty() || fs::is_directory(target, ec))
    return Error{"linetwin " + command, 0, 0, "", "option '--out' expects a file name, got '" + path + "'"};
  if (!fs::is_directory(dir, ec))
    return Error{"linetwin " + command, 0, 0, "", "cannot write '" + path + "': folder '" + dir.string() + "' does not exist"};
  return write_files_atomically(dir.string(), {{target.filename().string(), content}}, command);
}

}  // namespace linetwin::cli
