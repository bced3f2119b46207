#include "twin/live/plant_event.hpp"

#include <cmath>

namespace linetwin::live {
namespace {

constexpr const char* kNames[] = {"arrive", "start", "finish", "leave", "fail", "repair", "lost"};

bool needs_machine(PlantEventKind k) {
  return k != PlantEventKind::kArrive && k != PlantEventKind::kLost;
}
bool needs_item(PlantEventKind k) {
  return k != PlantEventKind::kFail && k != PlantEventKind::kRepair;
}

Decoded malformed(std::string why) { return Decoded{DecodeStatus::kMalformed, {}, std::move(why)}; }

}  // namespace

const char* event_name(PlantEventKind kind) { return kNames[static_cast<int>(kind)]; }

std::optional<PlantEventKind> event_kind(std::string_view name) {
  for (int i = 0; i < 7; ++i)
    if (name == kNames[i]) return static_cast<PlantEventKind>(i);
  return std::nullopt;
}

Decoded decode_event(std::string_view station, std::string_view payload) {
  std::string why;
  auto v = parse_json(payload, &why);
  if (!v) return malformed("not JSON: " + why);
  return decode_event(station, *v);
}

Decoded decode_event(std::string_view station, const JsonValue& o) {
  if (!o.is_object()) return malformed("not a JSON object");
  Decoded d;
  PlantEvent& e = d.event;
  e.station = std::string(station);
  if (e.station.empty()) {
    const JsonValue* s = o.find("station");
    if (!s || !s->is_string() || s->text.empty()) return malformed("no \"station\" name");
    e.station = s->text;
  }
  const JsonValue* t = o.find("t");
  if (!t || !t->is_number()) return malformed("no \"t\" number (seconds)");
  if (!(t->number >= 0)) return malformed("\"t\" is negative");
  e.t = t->number;
  const JsonValue* ev = o.find("event");
  if (!ev || !ev->is_string()) return malformed("no \"event\" string");
  const auto kind = event_kind(ev->text);
  if (!kind) return Decoded{DecodeStatus::kUnknown, {}, "unknown event '" + ev->text + "'"};
  e.kind = *kind;
  const JsonValue* m = o.find("machine");
  if (m && !m->is_null()) {
    if (!m->is_number() || m->number < 0 || m->number > 1e6 || m->number != std::floor(m->number))
      return malformed("\"machine\" is not a machine index (0, 1, ...)");
    e.machine = static_cast<int>(m->number);
  } else if (needs_machine(e.kind)) {
    return malformed(std::string("no \"machine\" index for a ") + ev->text + " event");
  }
  const JsonValue* item = o.find("item");
  if (item && item->is_string()) {
    e.item = item->text;
  } else if (item && item->is_number() && item->number == std::floor(item->number) && std::fabs(item->number) < 1e15) {
    e.item = std::to_string(static_cast<long long>(item->number));
  } else if (item && !item->is_null()) {
    return malformed("\"item\" is not a string or a whole number");
  }
  if (e.item.empty() && needs_item(e.kind))
    return malformed(std::string("no \"item\" id for a ") + ev->text + " event");
  const JsonValue* p = o.find("product");
  if (p && p->is_string()) {
    e.product = p->text;
  } else if (p && !p->is_null()) {
    return malformed("\"product\" is not a string");
  }
  return d;
}

std::string encode_payload(const PlantEvent& e) {
  JsonObject o;
  o.add("t", e.t);
  if (e.machine >= 0) o.add_int("machine", e.machine);
  o.add("event", event_name(e.kind));
  if (!e.item.empty()) o.add("item", e.item);
  if (!e.product.empty()) o.add("product", e.product);
  return o.str();
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
