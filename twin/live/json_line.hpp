// The twin's JSON at its edge, through nlohmann-json: an MQTT payload or a trace line read with
// bounded size and depth, so that anything off the network is either read or refused with a
// reason, never a crash; and a value written as one line. Values are nlohmann::ordered_json, so
// that keys keep the order they were written in. Not a JSON library of its own.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace linetwin::live {

using Json = nlohmann::ordered_json;

/// Longest text parse_json_line reads and deepest nesting of arrays and objects it accepts.
inline constexpr std::size_t kMaxJsonBytes = 1u << 20;
inline constexpr int kMaxJsonDepth = 32;

/// Parses one JSON value filling all of `text` (whitespace aside); nullopt with the reason in
/// `why` when it is not JSON, is longer than kMaxJsonBytes or nests deeper than kMaxJsonDepth.
std::optional<Json> parse_json_line(std::string_view text, std::string* why = nullptr);

/// `value` as one line of compact JSON (NaN and infinities as null); bytes that are not UTF-8
/// come out as U+FFFD instead of failing.
std::string json_line(const Json& value);

}  // namespace linetwin::live
