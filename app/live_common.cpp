#include "app/live_common.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "sim/line.hpp"
#include "twin/live/trace.hpp"

namespace linetwin::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) { g_stop = true; }

std::string temp_name(const std::string& path) { return path + ".tmp-" + std::to_string(::getpid()); }

}  // namespace

Result<double> number_flag(const Args& args, const std::string& name, double lo, double hi, double fallback) {
  auto v = args.value(name);
  if (!v) return fallback;
  double x = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
  if (ec != std::errc() || end != v->data() + v->size() || !(x >= lo && x <= hi))
    return Error{"linetwin " + args.command, 0, 0, "",
                 "option '--" + name + "' expects a number from " + live::json_number(lo) + " to " +
                     live::json_number(hi) + ", got '" + *v + "'"};
  return x;
}

Result<std::string> prefix_flag(const Args& args) {
  const std::string p = args.value("prefix").value_or("line");
  if (p.empty() || p.find_first_of("+#") != std::string::npos || p.front() == '/' || p.back() == '/' ||
      p.find("//") != std::string::npos)
    return Error{"linetwin " + args.command, 0, 0, "",
                 "option '--prefix' expects a topic prefix such as 'line' or 'plant/hall2' (no '+', '#' or empty "
                 "levels), got '" + p + "'"};
  return p;
}

const std::atomic<bool>& stop_on_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return g_stop;
}

Result<bool> check_writable(const std::string& path, const std::string& command) {
  const std::string tmp = temp_name(path);
  std::ofstream probe(tmp, std::ios::binary);
  if (!probe)
    return Error{path, 0, 0, "", std::string("cannot write here (") + std::strerror(errno) + ") for linetwin " + command};
  probe.close();
  std::remove(tmp.c_str());
  return true;
}

Result<bool> write_text_atomically(const std::string& path, const std::string& content, const std::string& command) {
  const std::string tmp = temp_name(path);
  {
    std::ofstream out(tmp, std::ios::binary);
    out << content;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return Error{path, 0, 0, "", "cannot write this file for linetwin " + command};
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Error{path, 0, 0, "", std::string("cannot put the file in place (") + std::strerror(errno) + ")"};
  }
  return true;
}

Result<uint64_t> record_trace(const scenarios::Scenario& sc, const std::string& path) {
  const std::string tmp = temp_name(path);
  uint64_t written = 0;
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) return Error{path, 0, 0, "", "cannot write the trace here"};
    live::TraceHeader h;
    h.scenario = sc.line.name;
    h.time_unit = sc.line.time_unit;
    h.seed = sc.run.seed;
    h.replication = 0;
    for (const auto& s : sc.line.stations) h.stations.push_back(s.name);
    for (const auto& p : sc.line.products) h.products.push_back(p.name);
    live::TraceWriter writer(out, sc.line, h);
    sim::LineSim line(sc.line, sc.run, 0);
    line.add_observer(&writer);
    line.run();
    written = writer.written();
    out.flush();
    if (!out) {
      out.close();
      std::remove(tmp.c_str());
      return Error{path, 0, 0, "", "writing the trace failed (disk full?)"};
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Error{path, 0, 0, "", std::string("cannot put the trace in place (") + std::strerror(errno) + ")"};
  }
  return written;
}

}  // namespace linetwin::cli
