// The live twin: reads station events from the broker into the mirror, publishes the mirrored
// state every so often, runs look-aheads on a worker thread from the mirror's state and publishes
// them, and reports where the line departs from its model. Bad messages are counted and logged,
// never fatal. Not the command line (app/cmd_twin.cpp parses flags and handles signals).
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <deque>

#include "sim/line_def.hpp"
#include "twin/live/forecast.hpp"
#include "twin/live/messages.hpp"
#include "twin/live/mirror.hpp"
#include "twin/live/mqtt.hpp"

namespace linetwin::live {

/// How the twin runs.
struct TwinSettings {
  std::string prefix = "line";
  double publish_every = 1.0;     // wall seconds between state messages
  double forecast_every = 5.0;    // wall seconds between look-aheads (one runs at a time)
  ForecastSettings forecast;
  int log_first = 10;             // bad messages of each kind logged in full; then every 1000th
};

/// The twin's mirror and message handling, independent of the network for testing.
class LiveTwin {
 public:
  LiveTwin(const sim::LineDef& line, const TwinSettings& settings);

  /// Handles one received message.
  void handle(const MqttMessage& m);
  /// Runs until `stop` is set: reads `client`, publishes state and forecasts through it.
  void run(MqttClient& client, const std::atomic<bool>& stop);

  const Mirror& mirror() const { return mirror_; }
  const TwinCounters& counters() const { return counters_; }
  /// Forecasts published so far.
  uint64_t forecasts() const { return forecasts_; }
  /// The topics the twin reads and writes.
  std::string events_topic() const { return settings_.prefix + "/station/+/event"; }
  std::string state_topic() const { return settings_.prefix + "/twin/state"; }
  std::string forecast_topic() const { return settings_.prefix + "/twin/forecast"; }
  std::string deviation_topic() const { return settings_.prefix + "/twin/deviation"; }

 private:
  void log_bad(const char* kind, uint64_t count, const MqttMessage& m, const std::string& why);
  bool seen_before(const MqttMessage& m);
  // run() in steps; RunState is what they share with each other and with the look-ahead worker.
  struct RunState;
  void forecast_worker(RunState& r);
  void read_messages(MqttClient& client);
  void report_connection(MqttClient& client, RunState& r);
  void publish_state(MqttClient& client);
  void publish_deviations(MqttClient& client, RunState& r);
  void start_forecast(RunState& r, std::chrono::steady_clock::time_point now);
  void publish_forecast(MqttClient& client, RunState& r);

  const sim::LineDef& line_;
  TwinSettings settings_;
  Mirror mirror_;
  TwinCounters counters_;
  uint64_t forecasts_ = 0;
  std::unordered_set<uint64_t> recent_;   // hashes of the last messages, to drop QoS 1 redeliveries
  std::deque<uint64_t> recent_order_;
};

}  // namespace linetwin::live
