#include "twin/live/trace.hpp"

#include <cmath>

namespace linetwin::live {

std::string header_line(const TraceHeader& h) {
  std::vector<std::string> stations, products;
  for (const auto& s : h.stations) stations.push_back(json_string(s));
  for (const auto& p : h.products) products.push_back(json_string(p));
  return JsonObject()
      .add_int("linetwin_trace", h.version)
      .add("scenario", h.scenario)
      .add("time_unit", h.time_unit)
      .raw("seed", std::to_string(h.seed))
      .add_int("replication", h.replication)
      .raw("stations", json_array(stations))
      .raw("products", json_array(products))
      .str();
}

TraceWriter::TraceWriter(std::ostream& out, const sim::LineDef& line, const TraceHeader& header)
    : out_(out), line_(line), seconds_(seconds_in(line.time_unit)) {
  out_ << header_line(header) << '\n';
}

void TraceWriter::on_event(const sim::LineEvent& e) {
  PlantEventKind kind;
  switch (e.kind) {
    case sim::EventKind::kArrive: kind = PlantEventKind::kArrive; break;
    case sim::EventKind::kStart: kind = PlantEventKind::kStart; break;
    case sim::EventKind::kFinish: kind = PlantEventKind::kFinish; break;
    case sim::EventKind::kLeave: kind = PlantEventKind::kLeave; break;
    case sim::EventKind::kFail: kind = PlantEventKind::kFail; break;
    case sim::EventKind::kRepair: kind = PlantEventKind::kRepair; break;
    case sim::EventKind::kLost: kind = PlantEventKind::kLost; break;
    default: return;  // releases, buffer moves, transports, blocks: not what a plant reports
  }
  JsonObject o;
  o.add("t", e.t * seconds_);
  o.add("station", line_.stations[e.station].name);
  if (e.machine != sim::LineEvent::kNone) o.add_int("machine", e.machine);
  o.add("event", event_name(kind));
  if (e.product != sim::LineEvent::kNone) {
    o.add("item", std::to_string(e.item));
    o.add("product", line_.products[e.product].name);
  }
  out_ << o.str() << '\n';
  ++written_;
}

Result<std::unique_ptr<TraceReader>> TraceReader::open(const std::string& path) {
  auto r = std::unique_ptr<TraceReader>(new TraceReader());
  r->path_ = path;
  r->in_.open(path, std::ios::binary);
  if (!r->in_) return Error::in(path, "cannot open the trace file");
  std::string text;
  if (!std::getline(r->in_, text)) return Error::at(path, 1, 0, "", "the trace is empty; its first line is a header");
  r->line_ = 1;
  std::string why;
  auto v = parse_json(text, &why);
  const JsonValue* version = v ? v->find("linetwin_trace") : nullptr;
  if (!version || !version->is_number())
    return Error::at(path, 1, 0, "", "the first line is not a trace header {\"linetwin_trace\": 1, ...}" +
                                     (v ? std::string() : " (" + why + ")"));
  if (version->number != 1)
    return Error::at(path, 1, 0, "linetwin_trace", "trace format version 1 expected, got " + json_number(version->number));
  TraceHeader& h = r->header_;
  auto text_of = [&](const char* key) {
    const JsonValue* x = v->find(key);
    return x && x->is_string() ? x->text : std::string();
  };
  h.scenario = text_of("scenario");
  h.time_unit = text_of("time_unit");
  if (const JsonValue* x = v->find("seed"); x && x->is_number()) h.seed = static_cast<uint64_t>(x->number);
  if (const JsonValue* x = v->find("replication"); x && x->is_number()) h.replication = static_cast<uint32_t>(x->number);
  for (const char* key : {"stations", "products"})
    if (const JsonValue* x = v->find(key); x && x->kind == JsonValue::Kind::kArray)
      for (const auto& s : x->items)
        if (s.is_string()) (key[0] == 's' ? h.stations : h.products).push_back(s.text);
  return r;
}

Result<bool> TraceReader::next(PlantEvent& out) {
  std::string text;
  while (std::getline(in_, text)) {
    ++line_;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    const Decoded d = decode_event(std::string_view(), text);
    if (d.status != DecodeStatus::kOk) return Error::at(path_, line_, 0, "", d.why);
    if (d.event.t < last_t_)
      return Error::at(path_, line_, 0, "t", "time goes back (" + json_number(d.event.t) + " s after " +
                                             json_number(last_t_) + " s); a trace is in time order");
    last_t_ = d.event.t;
    out = d.event;
    return true;
  }
  if (in_.bad()) return Error::at(path_, line_, 0, "", "reading the trace failed");
  return false;
}

}  // namespace linetwin::live
