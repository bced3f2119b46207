#include "twin/live/trace.hpp"

#include <cmath>

#include <fmt/format.h>

#include "twin/live/json_line.hpp"

namespace linetwin::live {
namespace {

// The longest line a trace may have. Events are JSON objects of a hundred bytes or so and the
// header names the stations and products: a longer line is not a trace's, and is refused before
// it can fill the memory (std::getline would read /dev/zero until it does).
constexpr size_t kMaxTraceLine = size_t{1} << 20;

}  // namespace

std::string header_line(const TraceHeader& h) {
  Json o;
  o["linetwin_trace"] = h.version;
  o["scenario"] = h.scenario;
  o["time_unit"] = h.time_unit;
  o["seed"] = h.seed;
  o["replication"] = h.replication;
  o["stations"] = h.stations;
  o["products"] = h.products;
  return json_line(o);
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
    case sim::EventKind::kScrap: kind = PlantEventKind::kScrap; break;
    case sim::EventKind::kRework: kind = PlantEventKind::kRework; break;
    case sim::EventKind::kSetup: kind = PlantEventKind::kSetup; break;
    case sim::EventKind::kMaintain: kind = PlantEventKind::kMaintain; break;
    case sim::EventKind::kMaintained: kind = PlantEventKind::kMaintained; break;
    case sim::EventKind::kConsume: kind = PlantEventKind::kConsume; break;
    case sim::EventKind::kOff: kind = PlantEventKind::kOff; break;
    case sim::EventKind::kOn: kind = PlantEventKind::kOn; break;
    default: return;  // releases, buffer moves, transports, blocks: not what a plant reports
  }
  Json o;
  o["t"] = e.t * seconds_;
  o["station"] = line_.stations[e.station].name;
  if (e.machine != sim::LineEvent::kNone) o["machine"] = e.machine;
  o["event"] = event_name(kind);
  if (e.product != sim::LineEvent::kNone) {
    o["item"] = std::to_string(e.item);
    o["product"] = line_.products[e.product].name;
  }
  out_ << json_line(o) << '\n';
  ++written_;
}

Result<std::unique_ptr<TraceReader>> TraceReader::open(const std::string& path) {
  auto r = std::unique_ptr<TraceReader>(new TraceReader());
  r->path_ = path;
  r->in_.open(path, std::ios::binary);
  if (!r->in_) return Error::in(path, "cannot open the trace file");
  // The magic first: a trace starts with its header object, so anything else (a binary file,
  // /dev/zero) is refused after one byte.
  const int first = r->in_.peek();
  if (first == std::char_traits<char>::eof())
    return Error::at(path, 1, 0, "", "the trace is empty; its first line is a header {\"linetwin_trace\": 1, ...}");
  if (first != '{')
    return Error::at(path, 1, 0, "", "not a linetwin trace: it does not start with the header {\"linetwin_trace\": 1, ...} "
                                     "that 'linetwin run SCENARIO --trace FILE' writes");
  std::string text;
  auto got = r->read_line(text);
  if (!got) return got.error();
  std::string why;
  const auto v = parse_json_line(text, &why);
  auto member = [&](const char* key) -> const Json* {
    if (!v || !v->is_object()) return nullptr;
    const auto it = v->find(key);
    return it == v->end() ? nullptr : &*it;
  };
  const Json* version = member("linetwin_trace");
  if (!version || !version->is_number())
    return Error::at(path, 1, 0, "", "the first line is not a trace header {\"linetwin_trace\": 1, ...}" +
                                     (v ? std::string() : " (" + why + ")"));
  if (version->get<double>() != 1)
    return Error::at(path, 1, 0, "linetwin_trace", "trace format version 1 expected, got " + version->dump());
  TraceHeader& h = r->header_;
  auto text_of = [&](const char* key) {
    const Json* x = member(key);
    return x && x->is_string() ? x->get<std::string>() : std::string();
  };
  h.scenario = text_of("scenario");
  h.time_unit = text_of("time_unit");
  // Which run was recorded: informational, kept when it is a whole number that fits.
  if (const Json* x = member("seed"); x && x->is_number_unsigned()) h.seed = x->get<uint64_t>();
  if (const Json* x = member("replication"); x && x->is_number_unsigned() && x->get<uint64_t>() <= UINT32_MAX)
    h.replication = x->get<uint32_t>();
  for (const char* key : {"stations", "products"})
    if (const Json* x = member(key); x && x->is_array())
      for (const auto& s : *x)
        if (s.is_string()) (key[0] == 's' ? h.stations : h.products).push_back(s.get<std::string>());
  return r;
}

Result<bool> TraceReader::read_line(std::string& text) {
  if (buf_.empty()) buf_.resize(kMaxTraceLine + 1);
  in_.getline(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  const auto got = static_cast<size_t>(in_.gcount());
  if (in_.bad()) return Error::at(path_, line_ + 1, 0, "", "reading the trace failed");
  if (got == 0 && in_.eof()) return false;
  ++line_;
  // getline fails without reaching the end only when the buffer filled before a line break.
  if (in_.fail() && !in_.eof())
    return Error::at(path_, line_, 0, "", fmt::format("the line is longer than {} MiB, and a trace's lines are short JSON "
                                                      "objects (is this a trace?)", kMaxTraceLine >> 20));
  text.assign(buf_.data(), got - (in_.eof() ? 0 : 1));  // without the line break getline took
  return true;
}

Result<bool> TraceReader::next(PlantEvent& out) {
  std::string text;
  for (;;) {
    auto more = read_line(text);
    if (!more) return more.error();
    if (!*more) break;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    const Decoded d = decode_event(std::string_view(), text);
    if (d.status != DecodeStatus::kOk) return Error::at(path_, line_, 0, "", d.why);
    if (d.event.t < last_t_)
      return Error::at(path_, line_, 0, "t", fmt::format("time goes back ({} s after {} s); a trace is in time order",
                                                         d.event.t, last_t_));
    last_t_ = d.event.t;
    out = d.event;
    return true;
  }
  return false;
}

}  // namespace linetwin::live
