// A small JSON reader and writer for the twin's messages and trace lines: strict RFC 8259 values,
// bounded depth and size, so that any payload off the network is either read or refused, never a
// crash. Not a general-purpose library: objects keep their keys in order, lookups are linear.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace linetwin::live {

/// A parsed JSON value.
struct JsonValue {
  enum class Kind : unsigned char { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string text;                                      // a string's value
  std::vector<JsonValue> items;                          // an array's items or an object's values
  std::vector<std::string> keys;                         // an object's keys, parallel to items

  bool is_number() const { return kind == Kind::kNumber; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_object() const { return kind == Kind::kObject; }
  bool is_null() const { return kind == Kind::kNull; }
  /// The value under `key` in an object (the first one), or nullptr.
  const JsonValue* find(std::string_view key) const;
};

/// Largest text parse_json reads and deepest nesting it follows.
inline constexpr std::size_t kMaxJsonBytes = 1u << 20;
inline constexpr int kMaxJsonDepth = 32;

/// Parses one JSON value filling all of `text` (whitespace aside); nullopt with the reason in
/// `why` (and the byte offset) when it is not valid JSON.
std::optional<JsonValue> parse_json(std::string_view text, std::string* why = nullptr);

/// A number as JSON: shortest text that reads back exactly; null when not finite.
std::string json_number(double v);
/// A string as JSON, quoted and escaped.
std::string json_string(std::string_view s);

/// Builds one JSON object, key by key, in order: out.add("t", json_number(3)).add(...).str().
class JsonObject {
 public:
  /// Adds a key with a value already written as JSON.
  JsonObject& raw(std::string_view key, std::string_view json);
  JsonObject& add(std::string_view key, double v) { return raw(key, json_number(v)); }
  JsonObject& add(std::string_view key, std::string_view s) { return raw(key, json_string(s)); }
  JsonObject& add(std::string_view key, const char* s) { return raw(key, json_string(s)); }
  JsonObject& add_int(std::string_view key, long long v) { return raw(key, std::to_string(v)); }
  JsonObject& add_bool(std::string_view key, bool v) { return raw(key, v ? "true" : "false"); }
  /// The object's text.
  std::string str() const { return body_ + "}"; }

 private:
  std::string body_ = "{";
};

/// A JSON array of values already written as JSON.
std::string json_array(const std::vector<std::string>& items);

}  // namespace linetwin::live
