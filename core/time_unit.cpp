#include "core/time_unit.hpp"

#include <cmath>

#include "core/text.hpp"

namespace linetwin {

double seconds_in(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kSecond: return 1.0;
    case TimeUnit::kMinute: return 60.0;
    case TimeUnit::kHour: return 3600.0;
  }
  return 1.0;  // unreachable: every enumerator is handled above
}

std::string unit_name(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kSecond: return "s";
    case TimeUnit::kMinute: return "min";
    case TimeUnit::kHour: return "h";
  }
  return "s";
}

std::optional<TimeUnit> parse_time_unit(std::string_view name) {
  if (name == "s") return TimeUnit::kSecond;
  if (name == "min") return TimeUnit::kMinute;
  if (name == "h") return TimeUnit::kHour;
  return std::nullopt;
}

std::optional<double> suffix_seconds(std::string_view suffix) {
  for (std::string_view u : {"s", "sec", "secs", "second", "seconds"})
    if (suffix == u) return 1.0;
  for (std::string_view u : {"min", "mins", "minute", "minutes"})
    if (suffix == u) return 60.0;
  for (std::string_view u : {"h", "hr", "hrs", "hour", "hours"})
    if (suffix == u) return 3600.0;
  for (std::string_view u : {"d", "day", "days"})
    if (suffix == u) return 86400.0;
  for (std::string_view u : {"w", "wk", "wks", "week", "weeks"})
    if (suffix == u) return 604800.0;
  return std::nullopt;
}

std::optional<double> parse_time(std::string_view text, TimeUnit unit) {
  const std::string_view s = trim(text);
  double v = 0;
  const std::size_t used = leading_number(s, v);
  if (used == 0 || !std::isfinite(v)) return std::nullopt;
  const std::string_view rest = trim(s.substr(used));
  if (rest.empty()) return v;  // a plain number is already in `unit`
  const auto from = suffix_seconds(rest);
  if (!from) return std::nullopt;
  const double out = v * *from / seconds_in(unit);
  if (!std::isfinite(out)) return std::nullopt;
  return out;
}

}  // namespace linetwin
