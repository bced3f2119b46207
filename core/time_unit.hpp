// The unit a scenario's plain times are in, and times written with a unit ("90s", "2.5h"). Every
// module converts through here, so that "min" means 60 seconds everywhere and an unknown unit is
// an error, never a default. Standard library only.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace linetwin {

/// A scenario's `time_unit`.
enum class TimeUnit : uint8_t { kSecond, kMinute, kHour };

/// Seconds in one unit: 1, 60 or 3600.
double seconds_in(TimeUnit unit);

/// The unit as a scenario writes it: "s", "min" or "h".
std::string unit_name(TimeUnit unit);

/// The unit a scenario's `time_unit` names ("s", "min" or "h" exactly); nullopt otherwise.
std::optional<TimeUnit> parse_time_unit(std::string_view name);

/// Seconds in one unit written after a number: s, sec, secs, second(s), min, mins, minute(s),
/// h, hr, hrs, hour(s), d, day(s), w, wk(s), week(s); nullopt for anything else.
std::optional<double> suffix_seconds(std::string_view suffix);

/// A time such as "90" (already in `unit`), "90s", "2.5h" or "15 min", converted into `unit`;
/// nullopt when it is not a finite time.
std::optional<double> parse_time(std::string_view text, TimeUnit unit);

/// `t` in `from` expressed in `to`.
inline double convert_time(double t, TimeUnit from, TimeUnit to) {
  return from == to ? t : t * seconds_in(from) / seconds_in(to);
}

}  // namespace linetwin
