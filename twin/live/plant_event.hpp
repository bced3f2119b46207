// What a plant reports about its line, as the twin reads it: one event of one station (an item
// arrives, a machine starts, finishes or releases it, a machine fails or is repaired), from an MQTT
// payload or a trace line. Decoding only: what an event means for the line is the mirror's business.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace linetwin::live {

/// The contract's kinds (arrive, start, finish, fail, repair) and two that traces add: leave (a
/// machine lets its finished item go) and lost (an arrival found the first buffer full).
enum class PlantEventKind : uint8_t { kArrive, kStart, kFinish, kLeave, kFail, kRepair, kLost, kScrap, kRework,
                                     kSetup, kMaintain, kMaintained, kConsume, kOff, kOn };

/// One event; times in seconds.
struct PlantEvent {
  double t = 0;
  std::string station;
  int machine = -1;               // index within the station; -1 when the kind has none
  PlantEventKind kind = PlantEventKind::kArrive;
  std::string item;               // empty for fail and repair when not given
  std::string product;            // empty when not given
};

/// The name of a kind as written in payloads ("arrive", ...).
const char* event_name(PlantEventKind kind);
/// The kind named `name`, if any.
std::optional<PlantEventKind> event_kind(std::string_view name);

/// Whether an event was read, could not be read at all, or names something unknown.
enum class DecodeStatus : uint8_t { kOk, kMalformed, kUnknown };

/// The result of decoding: the event, or the status and why.
struct Decoded {
  DecodeStatus status = DecodeStatus::kOk;
  PlantEvent event;
  std::string why;
};

/// Reads {"t": T, "machine": I, "event": E, "item": "ID", "product": "A"} for `station`; with an
/// empty `station` (a trace line) the station comes from the object's "station".
Decoded decode_event(std::string_view station, std::string_view payload);

/// The payload the contract describes for `e` (machine only where it applies).
std::string encode_payload(const PlantEvent& e);

/// "P/station/NAME/event".
std::string event_topic(std::string_view prefix, std::string_view station);
/// NAME from "P/station/NAME/event", if the topic has that form.
std::optional<std::string> station_of_topic(std::string_view topic, std::string_view prefix);

}  // namespace linetwin::live
