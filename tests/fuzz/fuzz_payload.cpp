// Fuzzes the MQTT payload parser (live::decode_event, on what arrives on P/station/NAME/event,
// and on a trace line, which names its station) and the topic parser: any bytes are an event,
// malformed or unknown, never a crash, a leak or undefined behaviour. An event that reads must
// encode (encode_payload, what replay publishes) to a payload that reads back to the same event.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_check.hpp"
#include "twin/live/plant_event.hpp"

namespace live = linetwin::live;
using linetwin::fuzz::check;

namespace {

bool same(const live::PlantEvent& a, const live::PlantEvent& b) {
  return a.t == b.t && a.station == b.station && a.machine == b.machine && a.kind == b.kind && a.item == b.item &&
         a.product == b.product;
}

void check_round_trip(const live::Decoded& d) {
  if (d.status != live::DecodeStatus::kOk) {
    check(!d.why.empty(), "a payload refused without a reason");
    return;
  }
  const std::string payload = live::encode_payload(d.event);
  const live::Decoded back = live::decode_event(d.event.station, payload);
  check(back.status == live::DecodeStatus::kOk, "encode_payload wrote a payload that does not read back: " + payload +
                                                    " (" + back.why + ")");
  check(same(back.event, d.event), "encode_payload wrote a payload that reads back to another event: " + payload);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check_round_trip(live::decode_event("m1", bytes));
  // A trace line names its station itself.
  check_round_trip(live::decode_event("", bytes));
  if (auto station = live::station_of_topic(bytes, "line"))
    check(live::event_topic("line", *station) == bytes, "station_of_topic and event_topic disagree");
  return 0;
}
