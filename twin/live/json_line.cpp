#include "twin/live/json_line.hpp"

namespace linetwin::live {
namespace {

constexpr std::size_t kMaxReason = 200;  // nlohmann quotes the token it stopped at: keep logs short

// nlohmann's message without its "[json.exception.parse_error.101] " tag.
std::string reason(const Json::exception& e) {
  std::string s = e.what();
  if (s.rfind("[json.exception.", 0) == 0)
    if (const auto end = s.find("] "); end != std::string::npos) s.erase(0, end + 2);
  if (s.size() > kMaxReason) s = s.substr(0, kMaxReason) + "...";
  return s;
}

}  // namespace

std::optional<Json> parse_json_line(std::string_view text, std::string* why) {
  if (text.size() > kMaxJsonBytes) {
    if (why) *why = "longer than " + std::to_string(kMaxJsonBytes) + " bytes";
    return std::nullopt;
  }
  // The parser itself is not recursive; the depth is bounded for what uses the value after it.
  bool too_deep = false;
  const Json::parser_callback_t bound = [&](int depth, Json::parse_event_t event, Json&) {
    if ((event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) &&
        depth >= kMaxJsonDepth)
      too_deep = true;
    return !too_deep;  // nothing more is kept once too deep: the parse only checks the rest
  };
  try {
    Json v = Json::parse(text.begin(), text.end(), bound);
    if (too_deep) {
      if (why) *why = "nesting deeper than " + std::to_string(kMaxJsonDepth) + " arrays or objects";
      return std::nullopt;
    }
    return v;
  } catch (const Json::exception& e) {  // parse_error, or out_of_range for a number past a double
    if (why) *why = reason(e);
    return std::nullopt;
  }
}

std::string json_line(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace linetwin::live
