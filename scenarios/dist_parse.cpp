// Distributions from YAML: a bare number or time is a constant; otherwise {dist: KIND, ...} with
// exactly the parameters of that kind (see sim::Dist for where each one is stored).
#include <cmath>
#include <string>
#include <vector>

#include "scenarios/reader.hpp"

namespace linetwin::scenarios::detail {
namespace {

constexpr uint32_t kMaxErlangK = 1000;
constexpr std::size_t kMaxEmpirical = 1'000'000;

struct KindInfo {
  std::string_view name;
  sim::DistKind kind;
  std::vector<std::string_view> keys;  // `dist` and the parameters
  std::string_view example;
};

const KindInfo kKinds[] = {
    {"constant", sim::DistKind::kConstant, {"dist", "value"}, "{dist: constant, value: 2}"},
    {"exponential", sim::DistKind::kExponential, {"dist", "mean"}, "{dist: exponential, mean: 2}"},
    {"normal", sim::DistKind::kNormal, {"dist", "mean", "sd"}, "{dist: normal, mean: 2, sd: 0.2}"},
    {"lognormal", sim::DistKind::kLognormal, {"dist", "mean", "sd"}, "{dist: lognormal, mean: 2, sd: 0.5}"},
    {"uniform", sim::DistKind::kUniform, {"dist", "min", "max"}, "{dist: uniform, min: 1, max: 3}"},
    {"triangular", sim::DistKind::kTriangular, {"dist", "min", "mode", "max"},
     "{dist: triangular, min: 1, mode: 2, max: 4}"},
    {"erlang", sim::DistKind::kErlang, {"dist", "mean", "k"}, "{dist: erlang, mean: 2, k: 3}"},
    {"weibull", sim::DistKind::kWeibull, {"dist", "shape", "scale"}, "{dist: weibull, shape: 1.5, scale: 2}"},
    {"empirical", sim::DistKind::kEmpirical, {"dist", "values"}, "{dist: empirical, values: [1, 2, 2.5]}"},
};

// "a normal", "an exponential".
std::string a_kind(const KindInfo& info) {
  bool vowel = std::string_view("aeiou").find(info.name.front()) != std::string_view::npos && info.name != "uniform";
  return (vowel ? "an " : "a ") + std::string(info.name);
}

std::string kind_names() {
  std::string out;
  for (const auto& k : kKinds) out += (out.empty() ? "" : ", ") + std::string(k.name);
  return out;
}

std::string fmt(double v) {
  std::string s = std::to_string(v);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Reads parameters of one distribution, with the messages naming the kind and the parameter.
class ParamReader {
 public:
  ParamReader(const Reader& r, const Node& map, const std::string& path, const KindInfo& info)
      : r_(r), map_(map), path_(path), info_(info) {}

  const Node& node(std::string_view key) const {
    if (const Node* n = map_.find(key)) return *n;
    std::vector<std::string> params;
    for (auto k : info_.keys)
      if (k != "dist") params.emplace_back(k);
    std::string needs = params.size() == 1 ? params[0] : join({params.begin(), params.end() - 1}) + " and " + params.back();
    r_.fail(map_, at(key), "missing key '" + std::string(key) + "': " + a_kind(info_) + " distribution needs " + needs +
                               ", e.g. " + std::string(info_.example));
  }
  std::string at(std::string_view key) const { return path_ + "." + std::string(key); }

  /// A time parameter with a lower bound: > 0 when strict, else >= 0.
  double time(std::string_view key, bool strict) const {
    const Node& n = node(key);
    double v = r_.time(n, at(key));
    if (strict ? !(v > 0) : !(v >= 0))
      r_.fail(n, at(key), "expected " + std::string(key) + (strict ? " > 0" : " >= 0") + " for " +
                              a_kind(info_) + " distribution, got " + describe(n));
    return v;
  }

 private:
  const Reader& r_;
  const Node& map_;
  const std::string& path_;
  const KindInfo& info_;
};

void read_uniform(const Reader& r, const ParamReader& p, sim::Dist& d) {
  d.uniform = {};  // the union member this kind uses
  auto& u = d.uniform;
  u.min = p.time("min", false);
  u.max = p.time("max", false);
  if (u.min > u.max)
    r.fail(p.node("max"), p.at("max"),
           "expected max >= min (" + fmt(u.min) + ") for a uniform distribution, got " +
               describe(p.node("max")));
}

void read_triangular(const Reader& r, const ParamReader& p, sim::Dist& d) {
  d.triangular = {};  // the union member this kind uses
  auto& t = d.triangular;
  t.min = p.time("min", false);
  t.mode = p.time("mode", false);
  t.max = p.time("max", false);
  if (t.mode < t.min || t.mode > t.max)
    r.fail(p.node("mode"), p.at("mode"),
           "expected min <= mode <= max for a triangular distribution, got min " + fmt(t.min) +
               ", mode " + fmt(t.mode) + ", max " + fmt(t.max));
  if (!(t.min < t.max))
    r.fail(p.node("max"), p.at("max"),
           "expected min < max for a triangular distribution, got min " + fmt(t.min) + ", max " +
               fmt(t.max) + " (for a fixed time write a bare number)");
}

void read_weibull(const Reader& r, const ParamReader& p, sim::Dist& d) {
  d.weibull = {};  // the union member this kind uses
  auto& w = d.weibull;
  const Node& shape = p.node("shape");
  w.shape = r.number(shape, p.at("shape"));  // a pure number, not a time
  if (!(w.shape > 0))
    r.fail(shape, p.at("shape"), "expected shape > 0 for a weibull distribution, got " + describe(shape));
  w.scale = p.time("scale", true);
  double mean = w.scale * std::tgamma(1.0 + 1.0 / w.shape);
  if (!std::isfinite(mean) || mean > kAbsurd)
    r.fail(shape, p.at("shape"),
           "a weibull distribution with shape " + fmt(w.shape) + " and scale " + fmt(w.scale) +
               " has an absurd mean; expected a shape of about 0.1 or more");
}

void read_empirical(const Reader& r, const ParamReader& p, sim::Dist& d) {
  const Node& values = p.node("values");
  std::string vpath = p.at("values");
  r.expect_seq(values, vpath, "a list of observed times, e.g. [1, 2, 2.5]");
  if (values.items.empty() || values.items.size() > kMaxEmpirical)
    r.fail(values, vpath, "expected 1 to 1000000 observed times, got " +
                              std::to_string(values.items.size()));
  d.values.reserve(values.items.size());
  for (std::size_t i = 0; i < values.items.size(); ++i) {
    const Node& v = values.items[i];
    std::string ipath = vpath + "[" + std::to_string(i + 1) + "]";
    double t = r.time(v, ipath);
    if (!(t >= 0)) r.fail(v, ipath, "expected an observed time >= 0, got " + describe(v));
    d.values.push_back(t);
  }
}

sim::Dist read_kind(const Reader& r, const Node& n, const std::string& path, const KindInfo& info) {
  r.check_keys(n, path, info.keys, a_kind(info) + " distribution");
  ParamReader p(r, n, path, info);
  sim::Dist d;
  d.kind = info.kind;
  switch (info.kind) {
    case sim::DistKind::kConstant:
      d.value = p.time("value", false);
      break;
    case sim::DistKind::kExponential:
      d.exponential.mean = p.time("mean", true);
      break;
    case sim::DistKind::kNormal:
      d.normal.mean = p.time("mean", true);
      d.normal.sd = p.time("sd", false);
      break;
    case sim::DistKind::kLognormal:
      d.lognormal.mean = p.time("mean", true);
      d.lognormal.sd = p.time("sd", false);
      break;
    case sim::DistKind::kUniform:
      read_uniform(r, p, d);
      break;
    case sim::DistKind::kTriangular:
      read_triangular(r, p, d);
      break;
    case sim::DistKind::kErlang:
      d.erlang.mean = p.time("mean", true);
      d.erlang.k = static_cast<uint32_t>(r.integer(p.node("k"), p.at("k"), 1, kMaxErlangK));
      break;
    case sim::DistKind::kWeibull:
      read_weibull(r, p, d);
      break;
    case sim::DistKind::kEmpirical:
      read_empirical(r, p, d);
      break;
  }
  return d;
}

}  // namespace

bool looks_per_product(const Node& map) { return map.is_map() && !map.find("dist"); }

sim::Dist read_dist(const Reader& r, const Node& n, const std::string& path) {
  const std::string expected = "a time (e.g. 2 or \"90s\") or a distribution such as "
                               "{dist: exponential, mean: 2}";
  if (n.is_scalar()) {
    auto v = parse_time(n.text, r.time_unit);
    if (!v) r.fail(n, path, "expected " + expected + ", got " + describe(n));
    if (!(*v >= 0)) r.fail(n, path, "expected a time >= 0, got " + describe(n));
    if (*v > kAbsurd) r.fail(n, path, "expected a time of at most 1e12 " + unit_name(r.time_unit) + ", got " + describe(n));
    sim::Dist d;  // filled here rather than by sim::constant() to keep this module's link small
    d.kind = sim::DistKind::kConstant;
    d.value = *v;
    return d;
  }
  if (!n.is_map()) r.fail(n, path, "expected " + expected + ", got " + describe(n));
  const Node* kind = n.find("dist");
  if (!kind)
    r.fail(n, path + ".dist", "missing key 'dist': expected a distribution such as "
                              "{dist: exponential, mean: 2}; kinds are: " + kind_names());
  if (!kind->is_scalar())
    r.fail(*kind, path + ".dist", "expected one of " + kind_names() + ", got " + describe(*kind));
  for (const auto& info : kKinds)
    if (kind->text == info.name) return read_kind(r, n, path, info);
  r.fail(*kind, path + ".dist", "unknown distribution " + describe(*kind) + "; expected one of " + kind_names());
}

}  // namespace linetwin::scenarios::detail
