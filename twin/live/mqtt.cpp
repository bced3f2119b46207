#include "twin/live/mqtt.hpp"

#include <mosquitto.h>

#include <charconv>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

namespace linetwin::live {
namespace {

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

}  // namespace

Result<BrokerAddress> parse_broker(const std::string& text, const std::string& command) {
  BrokerAddress b;
  const auto colon = text.rfind(':');
  b.host = text.substr(0, colon);
  if (colon != std::string::npos) {
    const std::string port = text.substr(colon + 1);
    int p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size() || p < 1 || p > 65535)
      return Error::in("linetwin " + command, "option '--broker' expects HOST:PORT with a port from 1 to 65535, got '" + text + "'");
    b.port = p;
  }
  if (b.host.empty() || b.host.find_first_of(" /") != std::string::npos)
    return Error::in("linetwin " + command, "option '--broker' expects HOST:PORT, e.g. 127.0.0.1:1883, got '" + text + "'");
  return b;
}

Result<std::unique_ptr<MqttClient>> MqttClient::connect(const BrokerAddress& broker, const std::string& client_id,
                                                        const std::vector<std::string>& topics, double timeout_s,
                                                        const std::string& command) {
  init_library();
  const std::string where = "linetwin " + command;
  std::unique_ptr<MqttClient> c(new MqttClient());
  c->topics_ = topics;
  c->mosq_ = mosquitto_new(client_id.c_str(), /*clean_session=*/false, c.get());
  if (!c->mosq_) return Error::in(where, "cannot create an MQTT client with id '" + client_id + "'");
  mosquitto_int_option(c->mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_int_option(c->mosq_, MOSQ_OPT_SEND_MAXIMUM, 100);  // QoS 1 messages in flight at once
  mosquitto_int_option(c->mosq_, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_reconnect_delay_set(c->mosq_, 1, 2, false);
  mosquitto_connect_with_flags_callback_set(c->mosq_, &MqttClient::on_connect);
  mosquitto_disconnect_callback_set(c->mosq_, &MqttClient::on_disconnect);
  mosquitto_publish_callback_set(c->mosq_, &MqttClient::on_publish);
  mosquitto_message_callback_set(c->mosq_, &MqttClient::on_message);
  if (mosquitto_loop_start(c->mosq_) != MOSQ_ERR_SUCCESS)
    return Error::in(where, "cannot start the MQTT network thread");
  // A refused first attempt is retried by the network thread, like any lost connection.
  const int rc = mosquitto_connect_async(c->mosq_, broker.host.c_str(), broker.port, 10);
  if (rc == MOSQ_ERR_INVAL || rc == MOSQ_ERR_EAI)
    return Error::in(where, "cannot resolve the broker address '" + broker.host + "'");
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration<double>(timeout_s);
  bool said = false;
  while (!c->connected_) {
    if (c->refused_)
      return Error::in(where, "the broker at " + broker.host + ":" + std::to_string(broker.port) +
                                        " refused the connection: " + mosquitto_connack_string(c->refused_));
    if (std::chrono::steady_clock::now() > deadline)
      return Error::in(where, "no MQTT broker answered at " + broker.host + ":" + std::to_string(broker.port) +
                                        " within " + fmt::format("{}", timeout_s) + " s; start one (see the README) or pass --connect-timeout");
    if (!said && std::chrono::steady_clock::now() > start + std::chrono::seconds(1)) {
      std::fprintf(stderr, "%s: waiting for the broker at %s:%d ...\n", where.c_str(), broker.host.c_str(), broker.port);
      said = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return c;
}

MqttClient::~MqttClient() {
  if (!mosq_) return;
  if (connected_) drain(1.0);
  mosquitto_disconnect(mosq_);
  mosquitto_loop_stop(mosq_, false);
  mosquitto_destroy(mosq_);
}

void MqttClient::on_connect(struct mosquitto* mosq, void* self, int rc, int flags) {
  auto* c = static_cast<MqttClient*>(self);
  if (rc != 0) {
    c->refused_ = rc;
    return;
  }
  // The broker may keep our subscriptions in the session; renewing them costs nothing.
  for (const auto& t : c->topics_) mosquitto_subscribe(mosq, nullptr, t.c_str(), 1);
  c->session_present_ = (flags & 1) != 0;
  ++c->connections_;
  c->connected_ = true;
}

void MqttClient::on_disconnect(struct mosquitto*, void* self, int) {
  auto* c = static_cast<MqttClient*>(self);
  c->connected_ = false;
  ++c->disconnections_;
}

void MqttClient::on_publish(struct mosquitto*, void* self, int) { ++static_cast<MqttClient*>(self)->acked_; }

void MqttClient::on_message(struct mosquitto*, void* self, const struct mosquitto_message* m) {
  auto* c = static_cast<MqttClient*>(self);
  MqttMessage msg;
  msg.topic = m->topic ? m->topic : "";
  if (m->payload && m->payloadlen > 0) msg.payload.assign(static_cast<const char*>(m->payload), size_t(m->payloadlen));
  {
    std::lock_guard<std::mutex> lock(c->mu_);
    c->inbox_.push_back(std::move(msg));
  }
  c->cv_.notify_one();
}

bool MqttClient::publish(const std::string& topic, const std::string& payload, bool retain) {
  const int rc = mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1, retain);
  // NO_CONN: the message is queued all the same and goes out after the reconnection.
  if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN) return false;
  ++accepted_;
  return true;
}

std::optional<MqttMessage> MqttClient::next(std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!cv_.wait_for(lock, wait, [&] { return !inbox_.empty(); })) return std::nullopt;
  MqttMessage m = std::move(inbox_.front());
  inbox_.pop_front();
  return m;
}

bool MqttClient::drain(double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (pending() > 0) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace linetwin::live
