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
#include <vector>

#include <nlohmann/json.hpp>

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

using Json = nlohmann::ordered_json;

/// `text` parsed as JSON, keys in the order written; a discarded value (is_discarded()) when it
/// is not JSON.
inline Json parse_json(const std::string& text) { return Json::parse(text, nullptr, false); }

/// The keys of a JSON object in their order (none for anything else).
inline std::vector<std::string> keys_of(const Json& j) {
  std::vector<std::string> keys;
  if (j.is_object())
    for (const auto& [k, v] : j.items()) keys.push_back(k);
  return keys;
}

/// Whether `j` is {"mean": number, "ci95": [lo, hi] with lo <= mean <= hi}, or ci95 null when
/// `interval` is false.
inline bool is_summary(const Json& j, bool interval = true) {
  if (!j.is_object() || keys_of(j) != std::vector<std::string>{"mean", "ci95"} || !j["mean"].is_number()) return false;
  if (!interval) return j["ci95"].is_null();
  const Json& ci = j["ci95"];
  return ci.is_array() && ci.size() == 2 && ci[0].is_number() && ci[1].is_number() &&
         ci[0].get<double>() <= j["mean"].get<double>() && j["mean"].get<double>() <= ci[1].get<double>();
}

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
