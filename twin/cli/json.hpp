// A small JSON writer for the command line's output: numbers in shortest round-trip form,
// NaN and infinities as null, strings escaped. Not a parser.
#pragma once
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

namespace linetwin::cli {

/// A number as JSON (null when not finite).
inline std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "null";
}

/// A string as JSON, quoted and escaped.
inline std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

}  // namespace linetwin::cli
