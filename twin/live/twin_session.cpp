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

void LiveTwin::run(MqttClient& client, const std::atomic<bool>& stop) {
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
  std::thread worker([&] {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      cv.wait(lock, [&] { return quit || job.has_value(); });
      if (quit) return;
      Job j = std::move(*job);
      job.reset();
      lock.unlock();
      Forecast f = look_ahead(line_, j.state, settings_.forecast, &cancel);
      lock.lock();
      if (!f.stopped) done.emplace(std::move(f), std::move(j));
      busy = false;
    }
  });

  auto next_state = Clock::now();
  auto next_forecast = Clock::now();
  uint64_t seen_connections = client.connections(), seen_disconnections = client.disconnections();
  uint64_t seen_takeovers = client.takeovers();
  std::set<std::string> last_flagged;  // "station what" of the flagged deviations
  bool warned_state = false;
  // State and forecasts are snapshots: while the broker is away they are skipped, not queued.
  auto publish_state = [&] {
    if (client.connected()) client.publish(state_topic(), state_json(mirror_, counters_, client.connections()), true);
  };
  while (!stop) {
    if (auto m = client.next(std::chrono::milliseconds(50))) {
      handle(*m);
      for (int k = 0; k < kBatch; ++k) {
        auto more = client.next(std::chrono::milliseconds(0));
        if (!more) break;
        handle(*more);
      }
    }
    // Counters, not the connected flag: a reconnection between two looks must not go unsaid.
    if (client.disconnections() != seen_disconnections) {
      seen_disconnections = client.disconnections();
      std::fprintf(stderr, "twin: lost the broker; reconnecting every 1 to 2 s\n");
    }
    if (client.takeovers() != seen_takeovers) {
      seen_takeovers = client.takeovers();
      std::fprintf(stderr, "twin: %s\n", client.takeover_warning().c_str());
    }
    if (client.connections() != seen_connections) {
      seen_connections = client.connections();
      std::fprintf(stderr, client.session_present()
                               ? "twin: connected again (connection %llu); the broker kept the session, so what was "
                                 "published meanwhile follows\n"
                               : "twin: connected again (connection %llu), but the broker had lost the session: what "
                                 "was published meanwhile is lost (does it keep sessions on disk?)\n",
                   static_cast<unsigned long long>(seen_connections));
    }
    const auto now = Clock::now();
    if (now >= next_state) {
      publish_state();
      next_state = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(settings_.publish_every));
      // Deviations are announced when the set of flagged times changes; the state has them all.
      std::set<std::string> flagged;
      for (const Deviation& d : mirror_.deviations())
        if (d.flagged) flagged.insert(line_.stations[d.station].name + " " + d.what);
      if (flagged != last_flagged && client.connected()) {
        client.publish(deviation_topic(), deviations_json(mirror_), true);
        for (const Deviation& d : mirror_.deviations())
          if (d.flagged && !last_flagged.count(line_.stations[d.station].name + " " + d.what))
            std::fprintf(stderr, "twin: deviation: %s\n", d.message(line_).c_str());
        last_flagged = std::move(flagged);
      }
    }
    std::unique_lock<std::mutex> lock(mu);
    if (now >= next_forecast && !busy) {
      next_forecast = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(settings_.forecast_every));
      Job j{mirror_.line_state(), mirror_.now(), mirror_.finished()};
      if (const std::string bad = sim::check_state(line_, j.state); bad.empty()) {
        job = std::move(j);
        busy = true;
        cv.notify_one();
      } else if (!warned_state) {
        std::fprintf(stderr, "twin: no look-ahead: the mirrored state does not fit the scenario (%s)\n", bad.c_str());
        warned_state = true;
      }
    }
    if (done) {
      const Forecast& f = done->first;
      const Job& j = done->second;
      if (client.connected()) client.publish(forecast_topic(), forecast_json(f, line_, j.t, j.finished), true);
      ++forecasts_;
      std::fprintf(stderr, "twin: forecast at t=%.1f s: %.1f items finished in the next %g %s (95%% CI %.1f to %.1f), "
                           "bottleneck %s (%.0f%% of runs)\n",
                   j.t, f.finished.mean, f.horizon, unit_name(line_.time_unit).c_str(), f.finished.lo(), f.finished.hi(),
                   line_.stations[f.bottleneck].name.c_str(), 100 * f.bottleneck_share[f.bottleneck].p);
      done.reset();
    }
  }
  cancel = true;
  {
    std::lock_guard<std::mutex> lock(mu);
    quit = true;
  }
  cv.notify_all();
  worker.join();
  publish_state();
}

}  // namespace linetwin::live
