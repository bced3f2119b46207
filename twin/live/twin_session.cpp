#include "twin/live/twin_session.hpp"

#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "twin/live/trace.hpp"

namespace linetwin::live {
namespace {

constexpr size_t kRecent = 65536;   // messages remembered to recognise a redelivery
constexpr int kBatch = 5000;        // messages handled before looking at the clocks again

std::string printable(const std::string& s, size_t max) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    out += c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?';
  }
  if (s.size() > max) out += "...";
  return out;
}

}  // namespace

LiveTwin::LiveTwin(const sim::LineDef& line, const TwinSettings& settings)
    : line_(line), settings_(settings), mirror_(line) {}

void LiveTwin::log_bad(const char* kind, uint64_t count, const MqttMessage& m, const std::string& why) {
  if (count <= uint64_t(settings_.log_first) || count % 1000 == 0)
    std::fprintf(stderr, "twin: %s message #%llu on '%s': %s (payload '%s')\n", kind,
                 static_cast<unsigned long long>(count), printable(m.topic, 80).c_str(), why.c_str(),
                 printable(m.payload, 80).c_str());
}

bool LiveTwin::seen_before(const MqttMessage& m) {
  const uint64_t h = std::hash<std::string>{}(m.topic) * 1000003u ^ std::hash<std::string>{}(m.payload);
  if (!recent_.insert(h).second) return true;
  recent_order_.push_back(h);
  if (recent_order_.size() > kRecent) {
    recent_.erase(recent_order_.front());
    recent_order_.pop_front();
  }
  return false;
}

void LiveTwin::handle(const MqttMessage& m) {
  ++counters_.received;
  const auto station = station_of_topic(m.topic, settings_.prefix);
  if (!station) {
    log_bad("unknown", ++counters_.unknown, m, "not a station event topic");
    return;
  }
  const Decoded d = decode_event(*station, m.payload);
  if (d.status == DecodeStatus::kMalformed) {
    log_bad("malformed", ++counters_.malformed, m, d.why);
    return;
  }
  if (d.status == DecodeStatus::kUnknown) {
    log_bad("unknown", ++counters_.unknown, m, d.why);
    return;
  }
  if (seen_before(m)) {  // QoS 1 delivers at least once: the same event again is a redelivery
    ++counters_.duplicate;
    return;
  }
  std::string why;
  switch (mirror_.apply(d.event, &why)) {
    case Fit::kApplied: ++counters_.applied; break;
    case Fit::kOutOfOrder: log_bad("out-of-order", ++counters_.out_of_order, m, why); break;
    case Fit::kUnknown: log_bad("unknown", ++counters_.unknown, m, why); break;
  }
}

// What one run() keeps from one turn of its loop to the next, and what it shares with the
// look-ahead worker: `mu` guards job, done, busy and quit.
struct LiveTwin::RunState {
  using Clock = std::chrono::steady_clock;
  struct Job {
    sim::LineState state;
    double t = 0;
    uint64_t finished = 0;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Job> job;
  std::optional<std::pair<Forecast, Job>> done;
  bool busy = false, quit = false;
  std::atomic<bool> cancel{false};
  Clock::time_point next_state, next_forecast;
  uint64_t seen_connections = 0, seen_disconnections = 0, seen_takeovers = 0;
  std::set<std::string> last_flagged;  // "station what" of the flagged deviations
  bool warned_state = false;
};

// The worker thread: one look-ahead at a time, so that the events keep being read meanwhile.
void LiveTwin::forecast_worker(RunState& r) {
  std::unique_lock<std::mutex> lock(r.mu);
  for (;;) {
    r.cv.wait(lock, [&] { return r.quit || r.job.has_value(); });
    if (r.quit) return;
    RunState::Job j = std::move(*r.job);
    r.job.reset();
    lock.unlock();
    Forecast f = look_ahead(line_, j.state, settings_.forecast, &r.cancel);
    lock.lock();
    if (!f.stopped) r.done.emplace(std::move(f), std::move(j));
    r.busy = false;
  }
}

void LiveTwin::read_messages(MqttClient& client) {
  if (auto m = client.next(std::chrono::milliseconds(50))) {
    handle(*m);
    for (int k = 0; k < kBatch; ++k) {
      auto more = client.next(std::chrono::milliseconds(0));
      if (!more) break;
      handle(*more);
    }
  }
}

// Counters, not the connected flag: a reconnection between two looks must not go unsaid.
void LiveTwin::report_connection(MqttClient& client, RunState& r) {
  if (client.disconnections() != r.seen_disconnections) {
    r.seen_disconnections = client.disconnections();
    std::fprintf(stderr, "twin: lost the broker; reconnecting every 1 to 2 s\n");
  }
  if (client.takeovers() != r.seen_takeovers) {
    r.seen_takeovers = client.takeovers();
    std::fprintf(stderr, "twin: %s\n", client.takeover_warning().c_str());
  }
  if (client.connections() != r.seen_connections) {
    r.seen_connections = client.connections();
    std::fprintf(stderr, client.session_present()
                             ? "twin: connected again (connection %llu); the broker kept the session, so what was "
                               "published meanwhile follows\n"
                             : "twin: connected again (connection %llu), but the broker had lost the session: what "
                               "was published meanwhile is lost (does it keep sessions on disk?)\n",
                 static_cast<unsigned long long>(r.seen_connections));
  }
}

// State and forecasts are snapshots: while the broker is away they are skipped, not queued.
void LiveTwin::publish_state(MqttClient& client) {
  if (client.connected()) client.publish(state_topic(), state_json(mirror_, counters_, client.connections()), true);
}

// Deviations are announced when the set of flagged times changes; the state has them all.
void LiveTwin::publish_deviations(MqttClient& client, RunState& r) {
  std::set<std::string> flagged;
  for (const Deviation& d : mirror_.deviations())
    if (d.flagged) flagged.insert(line_.stations[d.station].name + " " + d.what);
  if (flagged != r.last_flagged && client.connected()) {
    client.publish(deviation_topic(), deviations_json(mirror_), true);
    for (const Deviation& d : mirror_.deviations())
      if (d.flagged && !r.last_flagged.count(line_.stations[d.station].name + " " + d.what))
        std::fprintf(stderr, "twin: deviation: %s\n", d.message(line_).c_str());
    r.last_flagged = std::move(flagged);
  }
}

// Hands the worker the mirrored state when a look-ahead is due and none runs. The caller holds mu.
void LiveTwin::start_forecast(RunState& r, std::chrono::steady_clock::time_point now) {
  using Clock = RunState::Clock;
  if (now < r.next_forecast || r.busy) return;
  r.next_forecast =
      now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(settings_.forecast_every));
  RunState::Job j{mirror_.line_state(), mirror_.now(), mirror_.finished()};
  if (const std::string bad = sim::check_state(line_, j.state); bad.empty()) {
    r.job = std::move(j);
    r.busy = true;
    r.cv.notify_one();
  } else if (!r.warned_state) {
    std::fprintf(stderr, "twin: no look-ahead: the mirrored state does not fit the scenario (%s)\n", bad.c_str());
    r.warned_state = true;
  }
}

// Publishes and logs the look-ahead the worker finished, if any. The caller holds mu.
void LiveTwin::publish_forecast(MqttClient& client, RunState& r) {
  if (!r.done) return;
  const Forecast& f = r.done->first;
  const RunState::Job& j = r.done->second;
  if (client.connected()) client.publish(forecast_topic(), forecast_json(f, line_, j.t, j.finished), true);
  ++forecasts_;
  std::fprintf(stderr, "twin: forecast at t=%.1f s: %.1f items finished in the next %g %s (95%% CI %.1f to %.1f), "
                       "bottleneck %s (%.0f%% of runs)\n",
               j.t, f.finished.mean, f.horizon, unit_name(line_.time_unit).c_str(), f.finished.lo(), f.finished.hi(),
               line_.stations[f.bottleneck].name.c_str(), 100 * f.bottleneck_share[f.bottleneck].p);
  r.done.reset();
}

void LiveTwin::run(MqttClient& client, const std::atomic<bool>& stop) {
  using Clock = RunState::Clock;
  RunState r;
  std::thread worker([&] { forecast_worker(r); });
  r.next_state = Clock::now();
  r.next_forecast = Clock::now();
  r.seen_connections = client.connections();
  r.seen_disconnections = client.disconnections();
  r.seen_takeovers = client.takeovers();
  while (!stop) {
    read_messages(client);
    report_connection(client, r);
    const auto now = Clock::now();
    if (now >= r.next_state) {
      publish_state(client);
      r.next_state =
          now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(settings_.publish_every));
      publish_deviations(client, r);
    }
    std::unique_lock<std::mutex> lock(r.mu);
    start_forecast(r, now);
    publish_forecast(client, r);
  }
  r.cancel = true;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    r.quit = true;
  }
  r.cv.notify_all();
  worker.join();
  publish_state(client);
}

}  // namespace linetwin::live
