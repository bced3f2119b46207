// Typed reads from the YAML tree, numbers and times parsed by hand (never yaml-cpp's as<T>()), and
// the errors that name the file position or the --set override responsible.
#include "scenarios/reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <unordered_map>

namespace linetwin::scenarios::detail {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> name_problem(const std::string& name) {
  if (name.empty()) return "a name may not be empty";
  if (name.size() > 100) return "a name may have at most 100 characters";
  if (name.find_first_not_of(" \t\r\n") == std::string::npos) return "a name may not be blank";
  if (name.find_first_of(".=>") != std::string::npos)
    return "a name may not contain '.', '=' or '>' (they separate the parts of a --set path)";
  return std::nullopt;
}

std::string join(const std::vector<std::string>& words, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += sep;
    out += words[i];
  }
  return out;
}

Error Reader::error(const Node& at, const std::string& key, const std::string& what) const {
  if (at.origin > 0 && at.origin <= overrides_.size()) {
    const Override& o = overrides_[at.origin - 1];
    return Error::at_key("--set", key, what + " (from --set " + o.path + "=" + o.value + ")");
  }
  return Error::at(file_, at.line, at.column, key, what);
}

void Reader::fail(const Node& at, const std::string& key, const std::string& what) const {
  throw ScenarioError{error(at, key, what)};
}

void Reader::fail_key(const Node& map, std::size_t i, const std::string& key,
                      const std::string& what) const {
  const Key& k = map.keys[i];
  Node at;
  at.origin = k.origin;
  at.line = k.line;
  at.column = k.column;
  fail(at, key, what);
}

void Reader::expect_map(const Node& n, const std::string& path, const std::string& expected) const {
  if (!n.is_map()) fail(n, path, "expected " + expected + ", got " + describe(n));
}

void Reader::expect_seq(const Node& n, const std::string& path, const std::string& expected) const {
  if (!n.is_seq()) fail(n, path, "expected " + expected + ", got " + describe(n));
}

void Reader::check_keys(const Node& map, const std::string& path,
                        const std::vector<std::string_view>& allowed, const std::string& where) const {
  for (std::size_t i = 0; i < map.keys.size(); ++i) {
    const std::string& k = map.keys[i].text;
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    std::string_view best;
    std::size_t best_d = 3;  // suggest only close misspellings
    std::vector<std::string> names;
    for (std::string_view a : allowed) {
      names.emplace_back(a);
      std::size_t d = edit_distance(k, a);
      if (d < best_d) best_d = d, best = a;
    }
    std::string what = "unknown key '" + k + "' in " + where + "; ";
    if (!best.empty()) what += "did you mean '" + std::string(best) + "'? ";
    what += "allowed keys are: " + join(names);
    fail_key(map, i, path.empty() ? k : path + "." + k, what);
  }
}

const Node* Reader::get(const Node& map, std::string_view key) const {
  const Node* n = map.find(key);
  return (n && !n->is_null()) ? n : nullptr;
}

const Node& Reader::need(const Node& map, std::string_view key, const std::string& path,
                         const std::string& hint) const {
  const Node* n = map.find(key);
  std::string full = path.empty() ? std::string(key) : path + "." + std::string(key);
  if (!n) fail(map, full, "missing key '" + std::string(key) + "': expected " + hint);
  return *n;
}

std::string Reader::string(const Node& n, const std::string& path) const {
  if (!n.is_scalar()) fail(n, path, "expected a text, got " + describe(n));
  return n.text;
}

std::string Reader::name(const Node& n, const std::string& path) const {
  if (!n.is_scalar()) fail(n, path, "expected a name, got " + describe(n));
  if (auto problem = name_problem(n.text)) fail(n, path, *problem + ", got " + describe(n));
  return n.text;
}

double Reader::number(const Node& n, const std::string& path) const {
  if (!n.is_scalar()) fail(n, path, "expected a number, got " + describe(n));
  auto v = parse_number(n.text);
  if (!v) fail(n, path, "expected a number, got " + describe(n));
  if (std::abs(*v) > kAbsurd)
    fail(n, path, "expected a number of at most 1e12 in size, got " + describe(n));
  return *v;
}

double Reader::time(const Node& n, const std::string& path) const {
  const std::string expected =
      "a time (a number in " + unit_name(time_unit) + ", or with a unit such as \"90s\", \"15min\", \"2.5h\", \"30d\")";
  if (!n.is_scalar()) fail(n, path, "expected " + expected + ", got " + describe(n));
  auto v = parse_time(n.text, time_unit);
  if (!v) fail(n, path, "expected " + expected + ", got " + describe(n));
  if (std::abs(*v) > kAbsurd)
    fail(n, path, "expected a time of at most 1e12 " + unit_name(time_unit) + ", got " + describe(n));
  return *v;
}

uint64_t Reader::integer(const Node& n, const std::string& path, uint64_t lo, uint64_t hi) const {
  const std::string expected = "an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (!n.is_scalar()) fail(n, path, "expected " + expected + ", got " + describe(n));
  std::string_view s = trim(n.text);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty()) {
    if (v < lo || v > hi) fail(n, path, "expected " + expected + ", got " + describe(n));
    return v;
  }
  // Not a plain unsigned integer: "3.0" and "1e3" are still whole numbers; "-1", "2.5" are not.
  auto d = parse_number(n.text);
  if (d && *d == std::floor(*d) && *d >= static_cast<double>(lo) && *d <= static_cast<double>(hi) &&
      *d < 9007199254740992.0)
    return static_cast<uint64_t>(*d);
  fail(n, path, "expected " + expected + ", got " + describe(n));
}

uint32_t Reader::count_or_inf(const Node& n, const std::string& path, uint32_t lo, uint32_t hi) const {
  if (n.is_scalar() && (n.text == "inf" || n.text == ".inf" || n.text == "infinity" || n.text == ".Inf"))
    return sim::kUnlimited;
  if (n.is_scalar() && !parse_number(n.text))
    fail(n, path, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
                      " or inf, got " + describe(n));
  return static_cast<uint32_t>(integer(n, path, lo, hi));
}

bool Reader::boolean(const Node& n, const std::string& path) const {
  if (n.is_scalar()) {
    std::string t = n.text;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    if (t == "true" || t == "yes") return true;
    if (t == "false" || t == "no") return false;
  }
  fail(n, path, "expected true or false, got " + describe(n));
}

std::string item_key(const std::string& list_path, const Node& item) {
  if (!item.is_map()) return "";
  if (list_path == "transports") {
    const Node* from = item.find("from");
    const Node* to = item.find("to");
    if (from && to && from->is_scalar() && to->is_scalar() && !name_problem(from->text) &&
        !name_problem(to->text))
      return from->text + ">" + to->text;
    return "";
  }
  if (list_path == "factors") {
    const Node* p = item.find("path");
    return (p && p->is_scalar()) ? p->text : "";
  }
  const Node* name = item.find("name");
  return (name && name->is_scalar() && !name_problem(name->text)) ? name->text : "";
}

std::string item_path(const std::string& list_path, const Node& item, std::size_t index) {
  std::string key = item_key(list_path, item);
  if (key.empty()) return list_path + "[" + std::to_string(index + 1) + "]";
  return list_path + "." + key;
}

void check_duplicate_keys(const Reader& r, const Node& n, const std::string& path) {
  if (n.is_seq()) {
    for (std::size_t i = 0; i < n.items.size(); ++i)
      check_duplicate_keys(r, n.items[i], item_path(path, n.items[i], i));
    return;
  }
  if (!n.is_map()) return;
  std::unordered_map<std::string_view, std::size_t> seen;
  for (std::size_t i = 0; i < n.keys.size(); ++i) {
    const std::string& k = n.keys[i].text;
    std::string full = path.empty() ? k : path + "." + k;
    auto [it, fresh] = seen.emplace(k, i);
    if (!fresh) {
      const Key& first = n.keys[it->second];
      std::string where = first.line > 0 ? " (first given at line " + std::to_string(first.line) + ")" : "";
      r.fail_key(n, i, full, "duplicate key '" + k + "'" + where + "; each key may appear once in a mapping");
    }
    check_duplicate_keys(r, n.items[i], full);
  }
}

}  // namespace linetwin::scenarios::detail
