#include "app/output_files.hpp"

#include <unistd.h>

#include <filesystem>

namespace linetwin::cli {
namespace fs = std::filesystem;

Result<bool> prepare_output_dir(const std::string& dir, const std::string& command) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    return Error::in("linetwin " + command, "option '--out' expects a directory that can be created, got '" + dir + "'" +
                     (ec ? " (" + ec.message() + ")" : std::string(" (a file of that name exists)")));
  if (access(dir.c_str(), W_OK) != 0)
    return Error::in("linetwin " + command, "cannot write into directory '" + dir + "'");
  return true;
}

}  // namespace linetwin::cli
