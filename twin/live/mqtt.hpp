// An MQTT client for the twin and the replayer, over libmosquitto: a persistent session (clean_session
// off) so that the broker keeps what is published while the client is away, QoS 1 both ways,
// automatic reconnection with subscriptions renewed, and received messages queued for the caller's
// thread. Not a broker, and nothing here knows what the messages mean.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

struct mosquitto;
struct mosquitto_message;

namespace linetwin::live {

/// Where the broker is.
struct BrokerAddress {
  std::string host;
  int port = 1883;
};

/// Parses "HOST:PORT", "[IPV6]:PORT" or a bare HOST or [IPV6] (port 1883); errors name `command`.
Result<BrokerAddress> parse_broker(const std::string& text, const std::string& command);

/// "HOST:PORT", an IPv6 host in brackets.
std::string broker_text(const BrokerAddress& broker);

/// One message received.
struct MqttMessage {
  std::string topic, payload;
};

/// A connected client; see the file comment.
class MqttClient {
 public:
  /// Connects as `client_id` and subscribes to `topics` (QoS 1) on every connection; waits up to
  /// `timeout_s` for the broker, then gives up with an Error naming `command`. Gives up at once,
  /// with an Error too, when `stop` is set while it waits.
  static Result<std::unique_ptr<MqttClient>> connect(const BrokerAddress& broker, const std::string& client_id,
                                                     const std::vector<std::string>& topics, double timeout_s,
                                                     const std::string& command,
                                                     const std::atomic<bool>* stop = nullptr);
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;
  /// Disconnects (after up to a second for unacknowledged messages), and removes the session from
  /// the broker if forget_session_at_close() was called.
  ~MqttClient();
  /// Makes the destructor remove this client's session from the broker (a session under an id
  /// made for one process would otherwise stay there, queueing messages for no one, for good).
  void forget_session_at_close() { forget_session_ = true; }

  /// Publishes with QoS 1; while disconnected the library keeps it and sends it on reconnection.
  /// False only when the message is refused outright (bad topic, out of memory).
  bool publish(const std::string& topic, const std::string& payload, bool retain = false);
  /// The next message received, waiting up to `wait` for one.
  std::optional<MqttMessage> next(std::chrono::milliseconds wait);
  /// Whether the client is connected now.
  bool connected() const { return connected_; }
  /// Successful connections so far (the first one and every reconnection).
  uint64_t connections() const { return connections_; }
  /// Connections lost so far.
  uint64_t disconnections() const { return disconnections_; }
  /// Whether the broker still had our session at the last connection (what was published for us
  /// while we were away then follows).
  bool session_present() const { return session_present_; }
  /// Messages published and not yet acknowledged by the broker.
  uint64_t pending() const { return accepted_ - acked_; }
  /// Waits until every published message is acknowledged or `timeout_s` passes; true if all were.
  bool drain(double timeout_s);
  /// The client id it connects with.
  const std::string& client_id() const { return client_id_; }
  /// How often the broker has closed the connection kTakeoverDrops times in a row, each within
  /// kShortConnectionS of accepting it: what a broker does when another client connects with
  /// the same id (MQTT 3.1.1 gives no reason, so this is the sign).
  uint64_t takeovers() const { return takeovers_; }
  /// The sentence that says what takeovers() means, naming the client id.
  std::string takeover_warning() const;
  static constexpr int kTakeoverDrops = 3;
  static constexpr double kShortConnectionS = 5;

 private:
  MqttClient() = default;
  static void on_connect(struct mosquitto*, void* self, int rc, int flags);
  static void on_disconnect(struct mosquitto*, void* self, int rc);
  static void on_publish(struct mosquitto*, void* self, int mid);
  static void on_message(struct mosquitto*, void* self, const struct mosquitto_message* m);

  void remove_session();

  struct mosquitto* mosq_ = nullptr;
  BrokerAddress broker_;
  std::string client_id_;
  bool forget_session_ = false;
  std::vector<std::string> topics_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<MqttMessage> inbox_;
  std::atomic<bool> connected_{false}, session_present_{false};
  std::atomic<int> refused_{0};         // the broker's CONNACK code when it refused us
  std::atomic<uint64_t> connections_{0}, disconnections_{0}, accepted_{0}, acked_{0};
  std::atomic<int64_t> connected_at_ns_{0};  // steady clock at the last connection; 0 once it is lost
  std::atomic<int> short_drops_{0};          // connections in a row the broker closed soon after accepting
  std::atomic<uint64_t> takeovers_{0};
};

}  // namespace linetwin::live
