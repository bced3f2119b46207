// Helpers for the live twin's tests: a mosquitto broker of their own on a free loopback port
// (stopped when the test ends, however it ends), child processes that are killed if a test
// fails, and waiting for an MQTT message with a timeout instead of sleeping.
#pragma once
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/temp_dir.hpp"
#include "twin/live/mqtt.hpp"

extern char** environ;

namespace linetwin::test {

/// A child process with stdout and stderr in files; killed (SIGKILL) if still running at the end.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::string& out, const std::string& err) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &fa, nullptr, args.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
  }
  Process(const Process&) = delete;
  ~Process() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  bool started() const { return pid_ > 0; }
  void signal(int sig) {
    if (pid_ > 0 && !exited_) ::kill(pid_, sig);
  }
  /// The exit status, waiting up to `timeout_s`; nullopt if it is still running.
  std::optional<int> wait(double timeout_s) {
    if (exited_) return status_;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    for (;;) {
      int st = 0;
      const pid_t r = ::waitpid(pid_, &st, WNOHANG);
      if (r == pid_) {
        exited_ = true;
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return status_;
      }
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = -1;
};

/// A port nothing listens on now.
inline int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

inline bool port_open(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Whether this machine can listen on the IPv6 loopback address ::1.
inline bool ipv6_loopback_available() {
  const int s = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (s < 0) return false;
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  const bool ok = ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

/// mosquitto on a free loopback port, persistent sessions kept on disk across restarts; with
/// `ipv6`, it listens on ::1 too, on the same port.
class Broker {
 public:
  explicit Broker(const TempDir& dir, bool ipv6 = false) : dir_(dir), port_(free_port()) {
    // Started as root, mosquitto drops to the user 'mosquitto', who must be able to save there.
    const auto data = dir.path / "broker-data";
    std::filesystem::create_directories(data);
    std::filesystem::permissions(data, std::filesystem::perms::all);
    std::ofstream conf(dir.file("mosquitto.conf"));
    conf << "listener " << port_ << " 127.0.0.1\n";
    if (ipv6) conf << "listener " << port_ << " ::1\n";
    conf << "allow_anonymous true\n"
         << "persistence true\n"
         << "persistence_location " << data.string() << "/\n"
         << "max_queued_messages 1000000\n";
    conf.close();
    start();
  }
  ~Broker() { stop(); }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  /// Starts the broker and waits until it accepts connections.
  void start() {
    proc_ = std::make_unique<Process>(std::vector<std::string>{"/usr/sbin/mosquitto", "-c", dir_.file("mosquitto.conf")},
                                      dir_.file("broker.out"), dir_.file("broker.log"));
    REQUIRE(proc_->started());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!port_open(port_)) {
      if (proc_->wait(0)) FAIL("mosquitto did not start: " << read_file(dir_.file("broker.log")));
      if (std::chrono::steady_clock::now() > deadline) FAIL("mosquitto did not listen within 10 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  /// Stops it as an operator would (SIGTERM: it saves the sessions to disk first).
  void stop() {
    if (!proc_) return;
    proc_->signal(SIGTERM);
    proc_->wait(10);
    proc_.reset();
  }

 private:
  const TempDir& dir_;
  int port_;
  std::unique_ptr<Process> proc_;
};

using Json = nlohmann::ordered_json;

/// Parses `text` as one JSON value; a discarded value (is_discarded()) when it is not JSON.
inline Json parse_json(const std::string& text) { return Json::parse(text, nullptr, false); }

/// Waits up to `timeout_s` for a message on `client` (topic `topic`) whose JSON satisfies `ok`.
inline std::optional<Json> wait_for(live::MqttClient& client, const std::string& topic,
                                    const std::function<bool(const Json&)>& ok, double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    auto m = client.next(std::chrono::milliseconds(100));
    if (!m || m->topic != topic) continue;
    Json v = parse_json(m->payload);
    if (!v.is_discarded() && ok(v)) return v;
  }
  return std::nullopt;
}

/// A number at a path of keys in a JSON object (NaN when missing).
inline double number_at(const Json& v, std::initializer_list<const char*> keys) {
  const Json* cur = &v;
  for (const char* k : keys) {
    if (!cur->is_object() || !cur->contains(k)) return NAN;
    cur = &(*cur)[k];
  }
  return cur->is_number() ? cur->get<double>() : NAN;
}

/// The string at a path of keys in a JSON object ("" when missing or not a string).
inline std::string text_at(const Json& v, std::initializer_list<const char*> keys) {
  const Json* cur = &v;
  for (const char* k : keys) {
    if (!cur->is_object() || !cur->contains(k)) return "";
    cur = &(*cur)[k];
  }
  return cur->is_string() ? cur->get<std::string>() : "";
}

}  // namespace linetwin::test
