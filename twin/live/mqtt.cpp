#include "twin/live/mqtt.hpp"

#include <arpa/inet.h>
#include <mosquitto.h>

#include <algorithm>
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

int64_t now_ns() {
  const auto t = std::chrono::steady_clock::now().time_since_epoch();
  return std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::nanoseconds>(t).count());
}

// An IPv6 address, with an optional zone ("fe80::1%eth0") as getaddrinfo takes it.
bool is_ipv6_literal(const std::string& host) {
  const std::string address = host.substr(0, host.find('%'));
  in6_addr a{};
  return !address.empty() && ::inet_pton(AF_INET6, address.c_str(), &a) == 1 && address.size() + 1 != host.size();
}

}  // namespace

std::string broker_text(const BrokerAddress& b) {
  const std::string host = b.host.find(':') != std::string::npos ? "[" + b.host + "]" : b.host;
  return host + ":" + std::to_string(b.port);
}

Result<BrokerAddress> parse_broker(const std::string& text, const std::string& command) {
  const std::string where = "linetwin " + command;
  BrokerAddress b;
  std::string port;
  bool has_port = false;
  if (!text.empty() && text.front() == '[') {
    // An IPv6 address goes in brackets (as in URLs, RFC 3986): its own colons would read as a port.
    const auto close = text.find(']');
    const std::string rest = close == std::string::npos ? "" : text.substr(close + 1);
    if (close == std::string::npos || !is_ipv6_literal(text.substr(1, close - 1)) || (!rest.empty() && rest[0] != ':'))
      return Error::in(where, "option '--broker' expects [IPV6]:PORT with an IPv6 address in the brackets, e.g. [::1]:1883, got '" +
                                  text + "'");
    b.host = text.substr(1, close - 1);
    has_port = !rest.empty();
    if (has_port) port = rest.substr(1);
  } else {
    const auto colon = text.find(':');
    if (colon != std::string::npos && text.find(':', colon + 1) != std::string::npos)
      return Error::in(where, "option '--broker' expects an IPv6 address in brackets, e.g. [::1]:1883, got '" + text + "'");
    b.host = text.substr(0, colon);
    has_port = colon != std::string::npos;
    if (has_port) port = text.substr(colon + 1);
  }
  if (has_port) {
    int p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size() || p < 1 || p > 65535)
      return Error::in(where, "option '--broker' expects HOST:PORT with a port from 1 to 65535, got '" + text + "'");
    b.port = p;
  }
  if (b.host.empty() || b.host.find_first_of(" /[]") != std::string::npos)
    return Error::in(where, "option '--broker' expects HOST:PORT, e.g. 127.0.0.1:1883 or [::1]:1883, got '" + text + "'");
  return b;
}

Result<std::unique_ptr<MqttClient>> MqttClient::connect(const BrokerAddress& broker, const std::string& client_id,
                                                        const std::vector<std::string>& topics, double timeout_s,
                                                        const std::string& command, const std::atomic<bool>* stop) {
  init_library();
  const std::string where = "linetwin " + command;
  const std::string address = broker_text(broker);
  std::unique_ptr<MqttClient> c(new MqttClient());
  c->broker_ = broker;
  c->client_id_ = client_id;
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
    if (stop && *stop) return Error::in(where, "stopped while waiting for the broker at " + address);
    if (c->refused_)
      return Error::in(where, "the broker at " + address + " refused the connection: " + mosquitto_connack_string(c->refused_));
    if (std::chrono::steady_clock::now() > deadline)
      return Error::in(where, "no MQTT broker answered at " + address + " within " + fmt::format("{}", timeout_s) +
                                  " s; start one (see the README) or pass --connect-timeout");
    if (!said && std::chrono::steady_clock::now() > start + std::chrono::seconds(1)) {
      std::fprintf(stderr, "%s: waiting for the broker at %s ...\n", where.c_str(), address.c_str());
      said = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return c;
}

MqttClient::~MqttClient() {
  if (!mosq_) return;
  const bool was_connected = connected_;
  if (was_connected) drain(1.0);
  mosquitto_disconnect(mosq_);
  mosquitto_loop_stop(mosq_, false);
  mosquitto_destroy(mosq_);
  if (forget_session_ && was_connected) remove_session();
}

void MqttClient::remove_session() {
  // MQTT 3.1.1 (3.1.2.4): a connection with clean_session on discards the id's stored session.
  std::atomic<bool> acked{false};
  struct mosquitto* m = mosquitto_new(client_id_.c_str(), /*clean_session=*/true, &acked);
  if (!m) return;
  mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_connect_callback_set(m, [](struct mosquitto*, void* flag, int) { *static_cast<std::atomic<bool>*>(flag) = true; });
  if (mosquitto_connect(m, broker_.host.c_str(), broker_.port, 5) == MOSQ_ERR_SUCCESS) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (!acked && std::chrono::steady_clock::now() < deadline && mosquitto_loop(m, 50, 1) == MOSQ_ERR_SUCCESS) {
    }
    mosquitto_disconnect(m);
  }
  mosquitto_destroy(m);
}

std::string MqttClient::takeover_warning() const {
  return fmt::format("the broker has closed the connection {} times in a row within {} s of accepting it, as a broker "
                     "does when another client connects with the same client id '{}': give each twin and replay its own "
                     "--client-id (without one, each process has an id of its own)",
                     kTakeoverDrops, kShortConnectionS, client_id_);
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
  c->connected_at_ns_ = now_ns();
  ++c->connections_;
  c->connected_ = true;
}

void MqttClient::on_disconnect(struct mosquitto*, void* self, int rc) {
  auto* c = static_cast<MqttClient*>(self);
  c->connected_ = false;
  // The broker closing a connection soon after accepting it, again and again, is an id clash:
  // each connection of ours takes the id over from the other client, and its next one from us.
  const int64_t since = c->connected_at_ns_.exchange(0);
  if (rc != 0 && since != 0) {
    if (double(now_ns() - since) * 1e-9 < kShortConnectionS) {
      if (++c->short_drops_ == kTakeoverDrops) {
        c->short_drops_ = 0;
        ++c->takeovers_;
      }
    } else {
      c->short_drops_ = 0;
    }
  }
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
