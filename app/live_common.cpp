#include "app/live_common.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "core/files.hpp"
#include "sim/line.hpp"
#include "twin/live/trace.hpp"

namespace linetwin::cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

extern "C" void on_stop_signal(int sig) {
  g_signal = sig;
  g_stop = true;
}

}  // namespace

Result<double> number_flag(const Args& args, const std::string& name, double lo, double hi, double fallback) {
  auto v = args.value(name);
  if (!v) return fallback;
  double x = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
  if (ec != std::errc() || end != v->data() + v->size() || !(x >= lo && x <= hi))
    return Error::in("linetwin " + args.command, fmt::format("option '--{}' expects a number from {} to {}, got '{}'", name, lo, hi, *v));
  return x;
}

Result<std::string> prefix_flag(const Args& args) {
  const std::string p = args.value("prefix").value_or("line");
  if (p.empty() || p.find_first_of("+#") != std::string::npos || p.front() == '/' || p.back() == '/' ||
      p.find("//") != std::string::npos)
    return Error::in("linetwin " + args.command, "option '--prefix' expects a topic prefix such as 'line' or 'plant/hall2' (no '+', '#' or empty "
                 "levels), got '" + p + "'");
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

int stop_signal() { return g_signal; }

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

std::string default_client_id(const std::string& verb, const std::string& prefix) {
  char host[256] = "";
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return fmt::format("linetwin-{}-{}-{}-{}", verb, prefix, host[0] ? host : "host", ::getpid());
}

Result<uint64_t> record_trace(const scenarios::Scenario& sc, const std::string& path) {
  auto file = WholeFileWriter::open(path);
  if (!file) return file.error();
  live::TraceHeader h;
  h.scenario = sc.line.name;
  h.time_unit = unit_name(sc.line.time_unit);
  h.seed = sc.run.seed;
  h.replication = 0;
  for (const auto& s : sc.line.stations) h.stations.push_back(s.name);
  for (const auto& p : sc.line.products) h.products.push_back(p.name);
  live::TraceWriter writer(file->stream(), sc.line, h);
  sim::LineSim line(sc.line, sc.run, 0);
  line.add_observer(&writer);
  line.run();
  if (auto ok = file->commit(); !ok) return ok.error();
  return writer.written();
}

}  // namespace linetwin::cli
