// `linetwin replay TRACE --broker HOST:PORT`: a plant to test the twin against. Publishes a
// trace's events as a plant would (P/station/NAME/event, QoS 1), at --speed times real time.
// The whole trace is checked before anything is published. SIGINT or SIGTERM stops it, and it
// says how many events went out, with exit status 128 + the signal (130, 143): a replay cut
// short did not do what it was asked.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/live_common.hpp"
#include "twin/live/mqtt.hpp"
#include "twin/live/trace.hpp"

namespace linetwin::cli {

namespace {

using Clock = std::chrono::steady_clock;
constexpr uint64_t kMaxPending = 2000;  // unacknowledged messages before waiting for the broker

// The replay's flags, checked.
struct ReplayFlags {
  std::string path;
  live::BrokerAddress broker;
  std::string prefix;
  double speed = 1;      // times real time; 0: as fast as the broker takes them
  double timeout = 10;   // --connect-timeout, seconds
};

Result<ReplayFlags> replay_flags(const Args& args) {
  const std::string where = "linetwin replay";
  if (args.positional.size() != 1)
    return Error::in(where, "expects one trace file, e.g. 'linetwin replay run.trace --broker 127.0.0.1:1883'");
  if (!args.value("broker")) return Error::in(where, "needs --broker HOST:PORT");
  ReplayFlags f;
  auto broker = live::parse_broker(*args.value("broker"), "replay");
  if (!broker) return broker.error();
  f.broker = *broker;
  auto prefix = prefix_flag(args);
  if (!prefix) return prefix.error();
  f.prefix = *prefix;
  if (auto s = args.value("speed"); s && (*s == "max" || *s == "inf")) {
    f.speed = 0;  // as fast as the broker takes them
  } else {
    auto v = number_flag(args, "speed", 1e-6, 1e9, 1);
    if (!v) return v.error();
    f.speed = *v;
  }
  auto timeout = number_flag(args, "connect-timeout", 0, 3600, 10);
  if (!timeout) return timeout.error();
  f.timeout = *timeout;
  f.path = args.positional[0];
  return f;
}

// What the whole trace holds: how many events, and the plant times of the first and the last.
struct TraceSpan {
  uint64_t total = 0;
  double first_t = 0, last_t = 0;
};

// Reads the whole trace: a bad line refuses the replay before anything is published.
Result<TraceSpan> check_trace(const std::string& path) {
  TraceSpan span;
  auto reader = live::TraceReader::open(path);
  if (!reader) return reader.error();
  live::PlantEvent e;
  for (;;) {
    auto more = (*reader)->next(e);
    if (!more) return more.error();
    if (!*more) break;
    if (e.station.find_first_of("/+#") != std::string::npos)
      return Error::at(path, (*reader)->line(), 0, "station", "station '" + e.station +
                                                             "' cannot be an MQTT topic level ('/', '+' and '#' are not allowed)");
    if (span.total++ == 0) span.first_t = e.t;
    span.last_t = e.t;
  }
  return span;
}

// One replay under way: the connected client and how far the publishing has come.
struct Publishing {
  live::MqttClient& client;
  const ReplayFlags& flags;
  const std::atomic<bool>& stop;
  Clock::time_point wall0 = {};
  uint64_t sent = 0;
  uint64_t seen_takeovers = 0;
  Clock::time_point last_progress = {};  // when the broker last acknowledged more, or a message went out
  uint64_t last_acked = 0;
};

void warn_takeover(Publishing& p) {
  if (p.client.takeovers() == p.seen_takeovers) return;
  p.seen_takeovers = p.client.takeovers();
  std::fprintf(stderr, "replay: %s\n", p.client.takeover_warning().c_str());
}

// Sleeps until the event's time has come at --speed times real time (or a stop).
void wait_until_due(const Publishing& p, double t, double first_t) {
  const auto due =
      p.wall0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>((t - first_t) / p.flags.speed));
  while (!p.stop && Clock::now() < due)
    std::this_thread::sleep_for(std::min<Clock::duration>(due - Clock::now(), std::chrono::milliseconds(50)));
}

// Waits while kMaxPending messages are unacknowledged; false (said) when the broker has stopped
// acknowledging for longer than the connect timeout.
bool wait_for_broker(Publishing& p) {
  while (!p.stop && p.client.pending() >= kMaxPending) {
    warn_takeover(p);
    const uint64_t acked = p.sent - p.client.pending();
    if (acked != p.last_acked) p.last_acked = acked, p.last_progress = Clock::now();
    if (Clock::now() - p.last_progress > std::chrono::duration<double>(std::max(p.flags.timeout, 1.0))) {
      std::fprintf(stderr, "error: linetwin replay: the broker stopped acknowledging messages (%llu of %llu sent "
                           "are unacknowledged)\n", static_cast<unsigned long long>(p.client.pending()),
                   static_cast<unsigned long long>(p.sent));
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

// Publishes the trace's events until the end or a stop; the exit status when it has to give up.
std::optional<int> publish_events(Publishing& p, const TraceSpan& span) {
  auto reader = live::TraceReader::open(p.flags.path);
  if (!reader) return fail(reader.error());
  p.wall0 = Clock::now();
  live::PlantEvent e;
  p.last_progress = Clock::now();
  while (!p.stop) {
    warn_takeover(p);
    auto more = (*reader)->next(e);
    if (!more) return fail(more.error());
    if (!*more) break;
    if (p.flags.speed > 0) wait_until_due(p, e.t, span.first_t);
    if (!wait_for_broker(p)) return 1;
    if (p.stop) break;
    if (!p.client.publish(live::event_topic(p.flags.prefix, e.station), live::encode_payload(e))) {
      std::fprintf(stderr, "error: linetwin replay: the MQTT library refused a message for station '%s'\n", e.station.c_str());
      return 1;
    }
    ++p.sent;
    p.last_progress = Clock::now();
  }
  return std::nullopt;
}

// The replay's last word: how many were published, and whether the broker has them all.
int replay_outcome(Publishing& p, const TraceSpan& span) {
  if (p.stop) {
    // Interrupted: what was sent gets a moment to be acknowledged, and the count is said.
    p.client.drain(2.0);
    std::fprintf(stderr, "replay: stopped by %s after publishing %llu of %llu events (%llu acknowledged by the broker)\n",
                 signal_name(stop_signal()).c_str(), static_cast<unsigned long long>(p.sent),
                 static_cast<unsigned long long>(span.total),
                 static_cast<unsigned long long>(p.sent - p.client.pending()));
    return 128 + stop_signal();
  }
  // Everything sent must be acknowledged; a broker that is away gets the connect timeout to return.
  if (!p.client.drain(std::max(p.flags.timeout, 1.0) + 5)) {
    std::fprintf(stderr, "error: linetwin replay: %llu of %llu messages were not acknowledged by the broker\n",
                 static_cast<unsigned long long>(p.client.pending()), static_cast<unsigned long long>(p.sent));
    return 1;
  }
  const double wall = std::chrono::duration<double>(Clock::now() - p.wall0).count();
  std::fprintf(stderr, "replay: published %llu events in %.2f s (%llu connections)\n",
               static_cast<unsigned long long>(p.sent), wall, static_cast<unsigned long long>(p.client.connections()));
  return 0;
}

}  // namespace

int cmd_replay(const Args& args) {
  auto flags = replay_flags(args);
  if (!flags) return fail(flags.error());
  auto span = check_trace(flags->path);
  if (!span) return fail(span.error());
  const auto& stop = stop_on_signals();
  const auto given_id = args.value("client-id");
  const std::string client_id = given_id.value_or(default_client_id("replay", flags->prefix));
  auto client = live::MqttClient::connect(flags->broker, client_id, {}, flags->timeout, "replay", &stop);
  if (!client && stop) {
    std::fprintf(stderr, "replay: stopped by %s before the broker at %s answered; 0 of %llu events published\n",
                 signal_name(stop_signal()).c_str(), live::broker_text(flags->broker).c_str(),
                 static_cast<unsigned long long>(span->total));
    return 128 + stop_signal();
  }
  if (!client) return fail(client.error());
  // An id of this process alone would leave its session on the broker for good; one given is kept.
  if (!given_id) (*client)->forget_session_at_close();
  const std::string pace = flags->speed > 0 ? fmt::format("{:g} times real time", flags->speed) : "full speed";
  std::fprintf(stderr, "replay: %llu events, %.1f s of plant time, to %s under '%s/station/...' as '%s' at %s\n",
               static_cast<unsigned long long>(span->total), span->last_t - span->first_t,
               live::broker_text(flags->broker).c_str(), flags->prefix.c_str(), client_id.c_str(), pace.c_str());
  Publishing p{**client, *flags, stop};
  if (auto status = publish_events(p, *span)) return *status;
  return replay_outcome(p, *span);
}

}  // namespace linetwin::cli
