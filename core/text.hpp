// Numbers read from text by hand (std::from_chars: no locale, no exceptions, exact), shared by
// every reader of user input. Standard library only.
#pragma once
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace linetwin {

/// `s` without leading and trailing blanks and tabs.
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Parses the longest number at the start of `s` (a leading '+' allowed); returns the characters
/// used, 0 if none.
inline std::size_t leading_number(std::string_view s, double& value) {
  const std::size_t skip = (!s.empty() && s.front() == '+') ? 1 : 0;
  if (skip && s.size() > 1 && s[1] == '-') return 0;
  const char* begin = s.data() + skip;
  auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), value, std::chars_format::general);
  if (ec != std::errc() || ptr == begin) return 0;
  return static_cast<std::size_t>(ptr - s.data());
}

/// A finite number taking the whole text (blanks around it and a leading '+' allowed).
inline std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  double v = 0;
  const std::size_t used = leading_number(text, v);
  if (used == 0 || used != text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

/// The shortest text that reads back as exactly `v` (std::to_chars), a whole number below 1e15
/// written without exponent ("100000", where the shortest form would be "1e+05"), for numbers
/// a person reads back in a scenario or an override.
std::string exact_text(double v);

/// Where `text` stops being what a text file of ours may hold: the byte offset of the first NUL
/// byte or invalid UTF-8 sequence (an overlong form, a surrogate, a code point past U+10FFFF, a
/// cut sequence), with `nul` telling which; nullopt when the whole text is valid UTF-8.
struct TextProblem {
  std::size_t offset = 0;
  bool nul = false;
};
std::optional<TextProblem> find_text_problem(std::string_view text);

/// The 1-based line and column (in bytes) of byte `offset` of `text`.
std::pair<int, int> line_and_column(std::string_view text, std::size_t offset);

}  // namespace linetwin
