// `--set PATH=VALUE`: parsing the flag, walking a path through the YAML tree and replacing the value
// there before the scenario is read, so that an override is checked exactly like the file.
#include "scenarios/overrides.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

#include "core/text.hpp"
#include "scenarios/reader.hpp"

namespace linetwin::scenarios::detail {
namespace {

bool enters(std::string_view rest, std::string_view key) {
  return rest == key || (rest.size() > key.size() && rest.substr(0, key.size()) == key && rest[key.size()] == '.');
}

std::optional<std::string> path_problem(std::string_view path) {
  if (path.empty()) return "the path before '=' is empty";
  if (path.front() == '.' || path.back() == '.' || path.find("..") != std::string_view::npos)
    return "the path has an empty part; write it like stations.m1.machines";
  return std::nullopt;
}

// "station" for "stations": how a list's items are called in messages.
std::string singular(const std::string& list) {
  if (list.size() > 1 && list.back() == 's') return list.substr(0, list.size() - 1);
  return "item";
}

std::string missing_in_list(const Node& list, const std::string& here, std::string_view rest) {
  std::vector<std::string> names;
  for (const Node& item : list.items) {
    std::string k = item_key(here, item);
    if (!k.empty()) names.push_back(k);
  }
  std::string first(rest.substr(0, rest.find('.')));
  if (names.empty())
    return "'" + here + "' is a list whose items have no names; set it whole, e.g. --set " + here + "=[...]";
  if (here == "factors") return "no factor with a path at the start of '" + std::string(rest) +
                                "'; factors are: " + join(names);
  if (here == "transports") return "no transport " + first + "; transports are: " + join(names) +
                                   " (written FROM>TO)";
  return "no " + singular(here) + " named '" + first + "'; " + here + " are: " + join(names);
}

// Walks `path`; with `create`, a missing last key is added to its mapping (holding null).
Node* walk(Node& root, const std::string& path, Origin create_as, bool create, std::string& why) {
  if (auto problem = path_problem(path)) {
    why = *problem;
    return nullptr;
  }
  Node* cur = &root;
  std::string here;
  std::string_view rest = path;
  while (!rest.empty()) {
    std::string key;
    Node* next = nullptr;
    if (cur->is_map()) {
      std::size_t best = cur->keys.size();
      for (std::size_t i = 0; i < cur->keys.size(); ++i)
        if (enters(rest, cur->keys[i].text) && (best == cur->keys.size() || cur->keys[i].text.size() > cur->keys[best].text.size()))
          best = i;
      if (best < cur->keys.size()) {
        key = cur->keys[best].text;
        next = &cur->items[best];
      } else {
        // objective.cost is keyed by factor paths, which contain dots themselves.
        bool last = rest.find('.') == std::string_view::npos || here == "objective.cost";
        if (create && last) {
          cur->keys.push_back(Key{std::string(rest), 0, 0, create_as});
          cur->items.push_back(Node{Node::Kind::kNull, create_as, 0, 0, {}, {}, {}});
          return &cur->items.back();
        }
        std::vector<std::string> keys;
        for (const Key& k : cur->keys) keys.push_back(k.text);
        std::string first(rest.substr(0, rest.find('.')));
        why = "no key '" + first + "' " + (here.empty() ? "at the top of the scenario" : "in " + here);
        if (create) why += " (only the last part of a path may be new)";
        why += keys.empty() ? "" : "; keys there are: " + join(keys);
        return nullptr;
      }
    } else if (cur->is_seq()) {
      std::size_t best = cur->items.size();
      std::size_t best_len = 0;
      for (std::size_t i = 0; i < cur->items.size(); ++i) {
        std::string k = item_key(here, cur->items[i]);
        if (!k.empty() && enters(rest, k) && k.size() > best_len) best = i, best_len = k.size();
      }
      if (best == cur->items.size()) {
        why = missing_in_list(*cur, here, rest);
        return nullptr;
      }
      key = item_key(here, cur->items[best]);
      next = &cur->items[best];
    } else {
      why = here.empty() ? std::string("the scenario") : "'" + here + "'";
      why += " is " + describe(*cur) + ", not a mapping or list, so '" + std::string(rest) +
             "' cannot be found in it";
      return nullptr;
    }
    here = here.empty() ? key : here + "." + key;
    rest.remove_prefix(std::min(rest.size(), key.size() + 1));
    cur = next;
  }
  return cur;
}

}  // namespace

const Node* resolve_path(const Node& root, const std::string& path, std::string& why) {
  return walk(const_cast<Node&>(root), path, 0, false, why);
}

void apply_overrides(Node& root, const std::vector<Override>& overrides) {
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    const Override& o = overrides[i];
    const Origin origin = static_cast<Origin>(i + 1);
    Node value;
    try {
      value = parse_yaml(o.value, "--set", origin);
    } catch (const ScenarioError& e) {
      throw ScenarioError{Error::at_key("--set", o.path, "the value '" + o.value + "' is not valid YAML (" + e.error.what + ")")};
    }
    std::string why;
    Node* slot = walk(root, o.path, origin, true, why);
    if (!slot) throw ScenarioError{Error::at_key("--set", o.path, why)};
    *slot = std::move(value);
  }
}

}  // namespace linetwin::scenarios::detail

namespace linetwin::scenarios {

Result<Override> parse_override(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos)
    return Error::in("--set", "expected PATH=VALUE, e.g. --set stations.m1.machines=2, got '" + text + "'");
  Override o{text.substr(0, eq), text.substr(eq + 1)};
  while (!o.path.empty() && (o.path.back() == ' ' || o.path.back() == '\t')) o.path.pop_back();
  while (!o.path.empty() && (o.path.front() == ' ' || o.path.front() == '\t')) o.path.erase(0, 1);
  if (auto problem = detail::path_problem(o.path))
    return Error::at_key("--set", o.path, *problem + " in '" + text + "'; expected PATH=VALUE, e.g. "
                                        "--set stations.m1.machines=2");
  return o;
}

Override factor_override(const std::string& path, double value) {
  return Override{path, exact_text(value)};
}

}  // namespace linetwin::scenarios
