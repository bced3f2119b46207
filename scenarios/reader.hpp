// Private to scenarios/: typed reads from the YAML tree that refuse anything unexpected with an
// Error naming the file, line, column, key path and what was expected. Errors inside a value that
// came from --set name that override instead of a file position.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/yaml_tree.hpp"

namespace linetwin::scenarios::detail {

/// Largest magnitude accepted for any number: beyond it a value is a typo, not a plan.
inline constexpr double kAbsurd = 1e12;

/// Why `name` cannot name a product, source or station, or nullopt when it can.
std::optional<std::string> name_problem(const std::string& name);

/// "a, b, c".
std::string join(const std::vector<std::string>& words, std::string_view sep = ", ");

class Reader {
 public:
  Reader(std::string file, const std::vector<Override>& overrides)
      : file_(std::move(file)), overrides_(overrides) {}

  TimeUnit time_unit = TimeUnit::kMinute;  // the unit plain times are in; set from the file first

  /// The Error for a problem at `at` (its position, or the --set that supplied it).
  Error error(const Node& at, const std::string& key, const std::string& what) const;
  /// Throws error(at, key, what).
  [[noreturn]] void fail(const Node& at, const std::string& key, const std::string& what) const;
  /// The same at the position of a mapping's i-th key.
  [[noreturn]] void fail_key(const Node& map, std::size_t i, const std::string& key,
                             const std::string& what) const;

  /// Refuses anything but a mapping; `expected` says what the mapping should hold.
  void expect_map(const Node& n, const std::string& path, const std::string& expected) const;
  /// Refuses anything but a list.
  void expect_seq(const Node& n, const std::string& path, const std::string& expected) const;
  /// Refuses keys not in `allowed`, suggesting the closest; `where` reads like "station 'm1'".
  void check_keys(const Node& map, const std::string& path, const std::vector<std::string_view>& allowed,
                  const std::string& where) const;
  /// The value of an optional key; nullptr when absent or written empty (`key:` or `key: ~`).
  const Node* get(const Node& map, std::string_view key) const;
  /// The value of a required key; `hint` says what belongs there.
  const Node& need(const Node& map, std::string_view key, const std::string& path,
                   const std::string& hint) const;

  /// Any scalar's text.
  std::string string(const Node& n, const std::string& path) const;
  /// A product, source or station name (see name_problem).
  std::string name(const Node& n, const std::string& path) const;
  /// A finite number with |x| <= kAbsurd.
  double number(const Node& n, const std::string& path) const;
  /// A time in time_unit: a plain number, or a number with a unit such as "90s", "2.5h".
  double time(const Node& n, const std::string& path) const;
  /// An integer in [lo, hi].
  uint64_t integer(const Node& n, const std::string& path, uint64_t lo, uint64_t hi) const;
  /// An integer in [lo, hi], or "inf" for sim::kUnlimited.
  uint32_t count_or_inf(const Node& n, const std::string& path, uint32_t lo, uint32_t hi) const;
  /// true/false (also yes/no, any case).
  bool boolean(const Node& n, const std::string& path) const;

 private:
  std::string file_;
  const std::vector<Override>& overrides_;
};

/// The path of a list item: "stations.m1" by its name, "transports.m1>m2" by its ends,
/// "factors.stations.m1.machines" by its path, else "LIST[i]" (1-based) when it has none.
std::string item_path(const std::string& list_path, const Node& item, std::size_t index);
/// The identifying text item_path uses for a list item, or "" when it has none.
std::string item_key(const std::string& list_path, const Node& item);

/// Refuses a mapping that repeats a key anywhere in the tree (yaml-cpp keeps both silently).
void check_duplicate_keys(const Reader& r, const Node& n, const std::string& path);

/// Reads a distribution: a bare number or time (a constant), or {dist: KIND, ...}.
sim::Dist read_dist(const Reader& r, const Node& n, const std::string& path);

/// True when `map` is a mapping with no `dist` key: the per-product form of process times.
bool looks_per_product(const Node& map);

}  // namespace linetwin::scenarios::detail
