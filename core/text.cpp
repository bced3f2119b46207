#include "core/text.hpp"

namespace linetwin {

std::optional<TextProblem> find_text_problem(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c == 0) return TextProblem{i, true};
    if (c < 0x80) {
      ++i;
      continue;
    }
    // The lead byte says how many continuation bytes follow and the smallest code point allowed,
    // so that overlong forms (C0 80 for NUL) are refused like any other bad sequence.
    std::size_t more = 0;
    uint32_t cp = 0, min = 0;
    if ((c & 0xE0) == 0xC0) more = 1, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0) more = 2, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0) more = 3, cp = c & 0x07, min = 0x10000;
    else return TextProblem{i, false};
    if (i + more >= n) return TextProblem{i, false};
    for (std::size_t k = 1; k <= more; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return TextProblem{i, false};
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return TextProblem{i, false};
    i += more + 1;
  }
  return std::nullopt;
}

std::pair<int, int> line_and_column(std::string_view text, std::size_t offset) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::string exact_text(double v) {
  char buf[40];
  std::to_chars_result r;
  if (std::isfinite(v) && v == std::floor(v) && std::abs(v) < 1e15)
    r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
  else
    r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace linetwin
