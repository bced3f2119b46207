// Private to scenarios/: a plain, owned copy of a YAML document, with 1-based positions and the
// origin of every node (the file or one --set value). yaml-cpp is only seen in yaml_tree.cpp.
// Aliases are expanded into copies under a budget of nodes and of text, so --set edits one place
// and an alias bomb is refused instead of exploding.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace linetwin::scenarios::detail {

/// Thrown inside the module only; every public function catches it and returns the Error.
struct ScenarioError {
  Error error;
};

/// Where a node or key came from: 0 the file, i > 0 the value of the i-th --set override.
using Origin = uint32_t;

struct Key {
  std::string text;
  int line = 0, column = 0;  // 1-based, 0 when unknown
  Origin origin = 0;
};

struct Node {
  enum class Kind : uint8_t { kNull, kScalar, kSeq, kMap };
  Kind kind = Kind::kNull;
  Origin origin = 0;
  int line = 0, column = 0;        // 1-based, 0 when unknown
  std::string text;                // the scalar's text
  std::vector<Key> keys;           // a mapping's keys, parallel to items
  std::vector<Node> items;         // a sequence's items or a mapping's values

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_seq() const { return kind == Kind::kSeq; }
  bool is_map() const { return kind == Kind::kMap; }
  /// The value under `key` in a mapping, or nullptr (also when this is not a mapping).
  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
};

/// At most this many nodes after alias expansion (an empirical list of 1e6 values still fits).
inline constexpr std::size_t kNodeBudget = 2'000'000;
/// At most this many bytes of scalar text after alias expansion (a file holds at most 16 MiB).
inline constexpr std::size_t kTextBudget = std::size_t{64} << 20;

/// Parses YAML text into a tree; the text must hold at most one document. An empty document gives
/// a null node. Errors name `file` (or "--set" when origin > 0) and the position.
Node parse_yaml(const std::string& text, const std::string& file, Origin origin);

/// "'text'", "nothing", "a list" or "a mapping": what a node is, for "expected ..., got ...".
std::string describe(const Node& node);

}  // namespace linetwin::scenarios::detail
