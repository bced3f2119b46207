// A temporary directory for a test's files, removed when it goes out of scope (for a static one,
// when the test process ends), so that test runs leave nothing behind in the temporary folder.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace linetwin::test {

/// A fresh temporary directory, removed at the end.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("linetwin-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(path);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

}  // namespace linetwin::test
