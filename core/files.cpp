#include "core/files.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace linetwin {
namespace fs = std::filesystem;
namespace {

// The temporaries being written, for the signal handler: a fixed table of C strings, because a
// handler may not allocate or lock. A slot is claimed with a compare-exchange and freed after it
// is cleared, so the handler sees a whole path or none.
constexpr int kSlots = 64;
std::atomic<char*> g_temps[kSlots];

void track(const std::string& temp) {
  char* copy = strdup(temp.c_str());
  for (auto& slot : g_temps) {
    char* expected = nullptr;
    if (slot.compare_exchange_strong(expected, copy)) return;
  }
  std::free(copy);  // more than kSlots writes at once: this one is not cleaned on a signal
}

void untrack(const std::string& temp) {
  for (auto& slot : g_temps) {
    char* p = slot.load();
    if (p && temp == p && slot.compare_exchange_strong(p, nullptr)) {
      std::free(p);
      return;
    }
  }
}

extern "C" void on_fatal_signal(int sig) {
  for (auto& slot : g_temps)
    if (char* p = slot.load()) ::unlink(p);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

std::string temp_beside(const fs::path& target) {
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  return (dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()))).string();
}

bool is_special(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

std::string reason(int err) { return err ? std::strerror(err) : "the system refused the data"; }

Result<bool> check_target(const std::string& path) {
  if (path.empty()) return Error::in("linetwin", "an output file name is empty");
  const fs::path target(path);
  std::error_code ec;
  if (target.filename().empty() || fs::is_directory(target, ec))
    return Error::in(path, "cannot write this file: it is a folder, and a file name was expected");
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    return Error::in(path, "cannot write this file: the folder '" + dir.string() + "' does not exist");
  return true;
}

// Writes `content` to `file` and closes it, reporting the first failure with its reason.
Result<bool> write_all(const std::string& file, const std::string& shown, const std::string& content) {
  errno = 0;
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) return Error::in(shown, "cannot write this file (" + reason(errno) + ")");
  out.write(content.data(), std::streamsize(content.size()));
  out.flush();
  const int err = errno;
  out.close();
  if (!out) return Error::system_failure(shown, "writing this file failed (" + reason(err) + ")");
  return true;
}

}  // namespace

Result<bool> check_writable_file(const std::string& path) {
  if (auto ok = check_target(path); !ok) return ok.error();
  const fs::path target(path);
  const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  if (::access(dir.c_str(), W_OK) != 0)
    return Error::in(path, "cannot write this file: the folder '" + dir + "' is not writable");
  return true;
}

Result<bool> write_files_whole(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::string> temps;
  auto cleanup = [&] {
    for (const auto& t : temps) {
      ::unlink(t.c_str());
      untrack(t);
    }
  };
  for (const auto& [name, content] : files) {
    const fs::path target = fs::path(dir) / name;
    if (auto ok = check_target(target.string()); !ok) {
      cleanup();
      return ok.error();
    }
    if (is_special(target.string())) {  // a device or pipe cannot be replaced: write into it
      if (auto ok = write_all(target.string(), target.string(), content); !ok) {
        cleanup();
        return ok.error();
      }
      temps.emplace_back();
      continue;
    }
    temps.push_back(temp_beside(target));
    track(temps.back());
    if (auto ok = write_all(temps.back(), target.string(), content); !ok) {
      cleanup();
      return ok.error();
    }
  }
  for (size_t i = 0; i < files.size(); ++i) {
    if (temps[i].empty()) continue;
    const std::string target = (fs::path(dir) / files[i].first).string();
    if (std::rename(temps[i].c_str(), target.c_str()) != 0) {
      const int err = errno;
      cleanup();
      return Error::system_failure(target, "cannot put this file in place (" + reason(err) + ")");
    }
    untrack(temps[i]);
  }
  return true;
}

Result<bool> write_file_whole(const std::string& path, const std::string& content) {
  if (auto ok = check_target(path); !ok) return ok.error();
  const fs::path target(path);
  const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  return write_files_whole(dir, {{target.filename().string(), content}});
}

WholeFileWriter::WholeFileWriter(std::string path, std::string temp)
    : path_(std::move(path)), temp_(std::move(temp)), out_(temp_, std::ios::binary | std::ios::trunc) {}

WholeFileWriter::WholeFileWriter(WholeFileWriter&& other) noexcept
    : path_(std::move(other.path_)), temp_(std::move(other.temp_)), out_(std::move(other.out_)), done_(other.done_) {
  other.done_ = true;
}

Result<WholeFileWriter> WholeFileWriter::open(const std::string& path) {
  if (auto ok = check_target(path); !ok) return ok.error();
  const std::string temp = temp_beside(fs::path(path));
  track(temp);
  errno = 0;
  WholeFileWriter w(path, temp);
  if (!w.out_) {
    const int err = errno;
    w.done_ = true;
    untrack(temp);
    return Error::in(path, "cannot write this file (" + reason(err) + ")");
  }
  return w;
}

WholeFileWriter::~WholeFileWriter() {
  if (done_) return;
  out_.close();
  ::unlink(temp_.c_str());
  untrack(temp_);
}

Result<bool> WholeFileWriter::commit() {
  done_ = true;
  out_.flush();
  const int err = errno;
  out_.close();
  if (!out_) {
    ::unlink(temp_.c_str());
    untrack(temp_);
    return Error::system_failure(path_, "writing this file failed (" + reason(err) + ")");
  }
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
    const int e = errno;
    ::unlink(temp_.c_str());
    untrack(temp_);
    return Error::system_failure(path_, "cannot put this file in place (" + reason(e) + ")");
  }
  untrack(temp_);
  return true;
}

Result<std::string> read_file_limited(const std::string& path, std::size_t max_bytes, const std::string& what) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return Error::in(path, "cannot read file: it is a directory, and a " + what + " was expected");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::in(path, "cannot read file: " + reason(errno));
  std::string data;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    const auto got = static_cast<std::size_t>(in.gcount());
    if (data.size() + got > max_bytes)
      return Error::in(path, "the file is larger than " + std::to_string(max_bytes >> 20) + " MiB, the most a " + what +
                                 " may hold");
    data.append(buf, got);
  }
  if (in.bad()) return Error::system_failure(path, "cannot read file: read error");
  return data;
}

void remove_temporaries_on_signals() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction sa {};
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, nullptr);
  }
}

}  // namespace linetwin
