// `linetwin replay TRACE --broker HOST:PORT`: a plant to test the twin against. Publishes a
// trace's events as a plant would (P/station/NAME/event, QoS 1), at --speed times real time.
// The whole trace is checked before anything is published. SIGINT or SIGTERM stops it, and it
// says how many events went out, with exit status 128 + the signal (130, 143): a replay cut
// short did not do what it was asked.
#include <chrono>
#include <cstdio>
#include <thread>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/live_common.hpp"
#include "twin/live/mqtt.hpp"
#include "twin/live/trace.hpp"

namespace linetwin::cli {

int cmd_replay(const Args& args) {
  const std::string where = "linetwin replay";
  if (args.positional.size() != 1)
    return fail(Error::in(where, "expects one trace file, e.g. 'linetwin replay run.trace --broker 127.0.0.1:1883'"));
  if (!args.value("broker")) return fail(Error::in(where, "needs --broker HOST:PORT"));
  auto broker = live::parse_broker(*args.value("broker"), "replay");
  if (!broker) return fail(broker.error());
  auto prefix = prefix_flag(args);
  if (!prefix) return fail(prefix.error());
  double speed = 1;
  if (auto s = args.value("speed"); s && (*s == "max" || *s == "inf")) {
    speed = 0;  // as fast as the broker takes them
  } else {
    auto v = number_flag(args, "speed", 1e-6, 1e9, 1);
    if (!v) return fail(v.error());
    speed = *v;
  }
  auto timeout = number_flag(args, "connect-timeout", 0, 3600, 10);
  if (!timeout) return fail(timeout.error());
  const std::string path = args.positional[0];

  // Check the whole trace first: a bad line refuses the replay before anything is published.
  uint64_t total = 0;
  double first_t = 0, last_t = 0;
  {
    auto reader = live::TraceReader::open(path);
    if (!reader) return fail(reader.error());
    live::PlantEvent e;
    for (;;) {
      auto more = (*reader)->next(e);
      if (!more) return fail(more.error());
      if (!*more) break;
      if (e.station.find_first_of("/+#") != std::string::npos)
        return fail(Error::at(path, (*reader)->line(), 0, "station", "station '" + e.station +
                                                                     "' cannot be an MQTT topic level ('/', '+' and '#' are not allowed)"));
      if (total++ == 0) first_t = e.t;
      last_t = e.t;
    }
  }
  const auto& stop = stop_on_signals();
  const auto given_id = args.value("client-id");
  const std::string client_id = given_id.value_or(default_client_id("replay", *prefix));
  auto client = live::MqttClient::connect(*broker, client_id, {}, *timeout, "replay", &stop);
  if (!client && stop) {
    std::fprintf(stderr, "replay: stopped by %s before the broker at %s answered; 0 of %llu events published\n",
                 signal_name(stop_signal()).c_str(), live::broker_text(*broker).c_str(),
                 static_cast<unsigned long long>(total));
    return 128 + stop_signal();
  }
  if (!client) return fail(client.error());
  // An id of this process alone would leave its session on the broker for good; one given is kept.
  if (!given_id) (*client)->forget_session_at_close();
  char pace[64] = "full speed";
  if (speed > 0) std::snprintf(pace, sizeof pace, "%g times real time", speed);
  std::fprintf(stderr, "replay: %llu events, %.1f s of plant time, to %s under '%s/station/...' as '%s' at %s\n",
               static_cast<unsigned long long>(total), last_t - first_t, live::broker_text(*broker).c_str(),
               prefix->c_str(), client_id.c_str(), pace);
  uint64_t seen_takeovers = 0;
  auto warn_takeover = [&] {
    if ((*client)->takeovers() == seen_takeovers) return;
    seen_takeovers = (*client)->takeovers();
    std::fprintf(stderr, "replay: %s\n", (*client)->takeover_warning().c_str());
  };

  auto reader = live::TraceReader::open(path);
  if (!reader) return fail(reader.error());
  using Clock = std::chrono::steady_clock;
  const auto wall0 = Clock::now();
  live::PlantEvent e;
  uint64_t sent = 0;
  constexpr uint64_t kMaxPending = 2000;  // unacknowledged messages before waiting for the broker
  auto last_progress = Clock::now();
  uint64_t last_acked = 0;
  while (!stop) {
    warn_takeover();
    auto more = (*reader)->next(e);
    if (!more) return fail(more.error());
    if (!*more) break;
    if (speed > 0) {
      const auto due = wall0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>((e.t - first_t) / speed));
      while (!stop && Clock::now() < due)
        std::this_thread::sleep_for(std::min<Clock::duration>(due - Clock::now(), std::chrono::milliseconds(50)));
    }
    while (!stop && (*client)->pending() >= kMaxPending) {
      warn_takeover();
      const uint64_t acked = sent - (*client)->pending();
      if (acked != last_acked) last_acked = acked, last_progress = Clock::now();
      if (Clock::now() - last_progress > std::chrono::duration<double>(std::max(*timeout, 1.0))) {
        std::fprintf(stderr, "error: linetwin replay: the broker stopped acknowledging messages (%llu of %llu sent "
                             "are unacknowledged)\n", static_cast<unsigned long long>((*client)->pending()),
                     static_cast<unsigned long long>(sent));
        return 1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (stop) break;
    if (!(*client)->publish(live::event_topic(*prefix, e.station), live::encode_payload(e))) {
      std::fprintf(stderr, "error: linetwin replay: the MQTT library refused a message for station '%s'\n", e.station.c_str());
      return 1;
    }
    ++sent;
    last_progress = Clock::now();
  }
  if (stop) {
    // Interrupted: what was sent gets a moment to be acknowledged, and the count is said.
    (*client)->drain(2.0);
    std::fprintf(stderr, "replay: stopped by %s after publishing %llu of %llu events (%llu acknowledged by the broker)\n",
                 signal_name(stop_signal()).c_str(), static_cast<unsigned long long>(sent),
                 static_cast<unsigned long long>(total), static_cast<unsigned long long>(sent - (*client)->pending()));
    return 128 + stop_signal();
  }
  // Everything sent must be acknowledged; a broker that is away gets the connect timeout to return.
  if (!(*client)->drain(std::max(*timeout, 1.0) + 5)) {
    std::fprintf(stderr, "error: linetwin replay: %llu of %llu messages were not acknowledged by the broker\n",
                 static_cast<unsigned long long>((*client)->pending()), static_cast<unsigned long long>(sent));
    return 1;
  }
  const double wall = std::chrono::duration<double>(Clock::now() - wall0).count();
  std::fprintf(stderr, "replay: published %llu events in %.2f s (%llu connections)\n", static_cast<unsigned long long>(sent),
               wall, static_cast<unsigned long long>((*client)->connections()));
  return 0;
}

}  // namespace linetwin::cli
