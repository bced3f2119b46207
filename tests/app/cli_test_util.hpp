// Running the built program from a test: its exit status and what it printed. Shared by the
// command-line tests; test-only.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/temp_dir.hpp"

namespace linetwin::test {

struct Outcome {
  int status = -1;  // exit status, or 128 + signal
  std::string out, err;
};

/// A file's whole content ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Whether `s` contains `part`.
inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

/// A directory of this test process's own, for outputs; removed when the process ends.
inline std::filesystem::path scratch() {
  static const TempDir dir;
  return dir.path;
}

/// `s` quoted as one word for the shell.
inline std::string shell_word(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Runs `linetwin ARGS` (ARGS as shell words) from the source tree with a time limit and captures
/// its output; a hang ends as status 124.
inline Outcome run(const std::string& args) {
  const auto out = scratch() / "out.txt", err = scratch() / "err.txt";
  const std::string cmd = "cd '" LINETWIN_SOURCE_DIR "' && timeout 300 '" LINETWIN_EXE "' " + args + " >'" +
                          out.string() + "' 2>'" + err.string() + "' </dev/null";
  const int raw = std::system(cmd.c_str());
  Outcome o;
  o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  o.out = slurp(out);
  o.err = slurp(err);
  return o;
}

/// Runs a shell line (its own redirections) from the source tree, `linetwin` standing for the
/// program; captures stderr. For what run() cannot express: stdout to /dev/full or closed.
inline Outcome run_shell(const std::string& line) {
  const auto err = scratch() / "shell_err.txt";
  const std::string cmd = "cd '" LINETWIN_SOURCE_DIR "' && linetwin() { timeout 300 '" LINETWIN_EXE "' \"$@\"; }; " +
                          line + " 2>'" + err.string() + "' </dev/null";
  const int raw = std::system(("bash -c " + shell_word(cmd)).c_str());
  Outcome o;
  o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  o.err = slurp(err);
  return o;
}

}  // namespace linetwin::test
