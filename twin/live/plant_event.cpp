#include "twin/live/plant_event.hpp"

#include <cmath>
#include <iterator>

#include "twin/live/json_line.hpp"

namespace linetwin::live {
namespace {

constexpr const char* kNames[] = {"arrive", "start", "finish", "leave", "fail", "repair", "lost", "scrap", "rework", "setup",
                               "maintain", "maintained", "consume", "off", "on"};

bool needs_machine(PlantEventKind k) {
  return k != PlantEventKind::kArrive && k != PlantEventKind::kLost;
}
bool needs_item(PlantEventKind k) {
  return k != PlantEventKind::kFail && k != PlantEventKind::kRepair && k != PlantEventKind::kMaintain &&
         k != PlantEventKind::kMaintained && k != PlantEventKind::kOff && k != PlantEventKind::kOn;
}

Decoded malformed(std::string why) { return Decoded{DecodeStatus::kMalformed, {}, std::move(why)}; }

// The value under `key` in object `o`, or nullptr.
const Json* find(const Json& o, const char* key) {
  const auto it = o.find(key);
  return it == o.end() ? nullptr : &*it;
}

Decoded decode_object(std::string_view station, const Json& o) {
  if (!o.is_object()) return malformed("not a JSON object");
  Decoded d;
  PlantEvent& e = d.event;
  e.station = std::string(station);
  if (e.station.empty()) {
    const Json* s = find(o, "station");
    if (!s || !s->is_string() || s->get_ref<const std::string&>().empty()) return malformed("no \"station\" name");
    e.station = s->get<std::string>();
  }
  const Json* t = find(o, "t");
  if (!t || !t->is_number()) return malformed("no \"t\" number (seconds)");
  if (!(t->get<double>() >= 0)) return malformed("\"t\" is negative");
  e.t = t->get<double>();
  const Json* ev = find(o, "event");
  if (!ev || !ev->is_string()) return malformed("no \"event\" string");
  const std::string& event = ev->get_ref<const std::string&>();
  const auto kind = event_kind(event);
  if (!kind) return Decoded{DecodeStatus::kUnknown, {}, "unknown event '" + event + "'"};
  e.kind = *kind;
  const Json* m = find(o, "machine");
  if (m && !m->is_null()) {
    const double x = m->is_number() ? m->get<double>() : -1;
    if (!m->is_number() || x < 0 || x > 1e6 || x != std::floor(x))
      return malformed("\"machine\" is not a machine index (0, 1, ...)");
    e.machine = static_cast<int>(x);
  } else if (needs_machine(e.kind)) {
    return malformed("no \"machine\" index for a " + event + " event");
  }
  const Json* item = find(o, "item");
  const double item_number = item && item->is_number() ? item->get<double>() : NAN;
  if (item && item->is_string()) {
    e.item = item->get<std::string>();
  } else if (item && item->is_number() && item_number == std::floor(item_number) && std::fabs(item_number) < 1e15) {
    e.item = std::to_string(static_cast<long long>(item_number));
  } else if (item && !item->is_null()) {
    return malformed("\"item\" is not a string or a whole number");
  }
  if (e.item.empty() && needs_item(e.kind))
    return malformed("no \"item\" id for a " + event + " event");
  const Json* p = find(o, "product");
  if (p && p->is_string()) {
    e.product = p->get<std::string>();
  } else if (p && !p->is_null()) {
    return malformed("\"product\" is not a string");
  }
  return d;
}

}  // namespace

const char* event_name(PlantEventKind kind) { return kNames[static_cast<int>(kind)]; }

std::optional<PlantEventKind> event_kind(std::string_view name) {
  for (size_t i = 0; i < std::size(kNames); ++i)
    if (name == kNames[i]) return static_cast<PlantEventKind>(i);
  return std::nullopt;
}

Decoded decode_event(std::string_view station, std::string_view payload) {
  std::string why;
  const auto v = parse_json_line(payload, &why);
  if (!v) return malformed("not JSON: " + why);
  return decode_object(station, *v);
}

std::string encode_payload(const PlantEvent& e) {
  Json o;
  o["t"] = e.t;
  if (e.machine >= 0) o["machine"] = e.machine;
  o["event"] = event_name(e.kind);
  if (!e.item.empty()) o["item"] = e.item;
  if (!e.product.empty()) o["product"] = e.product;
  return json_line(o);
}

std::string event_topic(std::string_view prefix, std::string_view station) {
  return std::string(prefix) + "/station/" + std::string(station) + "/event";
}

std::optional<std::string> station_of_topic(std::string_view topic, std::string_view prefix) {
  const std::string head = std::string(prefix) + "/station/";
  constexpr std::string_view kTail = "/event";
  if (topic.size() <= head.size() + kTail.size() || topic.substr(0, head.size()) != head ||
      topic.substr(topic.size() - kTail.size()) != kTail)
    return std::nullopt;
  const auto name = topic.substr(head.size(), topic.size() - head.size() - kTail.size());
  if (name.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(name);
}

}  // namespace linetwin::live
