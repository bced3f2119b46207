#include "app/args.hpp"

#include <charconv>

namespace linetwin::cli {

bool Args::has(const std::string& name) const {
  return values.count(name) > 0 || switches.count(name) > 0;
}

std::optional<std::string> Args::value(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

Result<uint64_t> uint_flag(const Args& args, const std::string& name, uint64_t lo, uint64_t hi,
                           uint64_t fallback) {
  auto v = args.value(name);
  if (!v) return fallback;
  uint64_t x = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
  if (ec != std::errc() || end != v->data() + v->size() || x < lo || x > hi)
    return Error::in("linetwin " + args.command, "option '--" + name + "' expects a whole number from " + std::to_string(lo) +
                     " to " + std::to_string(hi) + ", got '" + *v + "'");
  return x;
}

Result<std::vector<scenarios::Override>> overrides_of(const Args& args) {
  std::vector<scenarios::Override> out;
  auto it = args.values.find("set");
  if (it == args.values.end()) return out;
  for (const auto& text : it->second) {
    auto o = scenarios::parse_override(text);
    if (!o) return o.error();
    out.push_back(*o);
  }
  return out;
}

Result<scenarios::Scenario> load_for_run(const Args& args, const std::string& path) {
  auto overrides = overrides_of(args);
  if (!overrides) return overrides.error();
  auto sc = scenarios::load_scenario(path, *overrides);
  if (!sc) return sc.error();
  const std::string where = "linetwin " + args.command;
  auto time_flag = [&](const std::string& name, double& target, bool allow_zero) -> std::optional<Error> {
    auto v = args.value(name);
    if (!v) return std::nullopt;
    auto t = parse_time(*v, sc->line.time_unit);
    if (!t || !(allow_zero ? *t >= 0 : *t > 0) || *t > 1e15)
      return Error::in(where, "option '--" + name + "' expects a " + (allow_zero ? "non-negative" : "positive") +
                       " time such as 5000, '90s' or '8h', got '" + *v + "'");
    target = *t;
    return std::nullopt;
  };
  if (auto e = time_flag("horizon", sc->run.horizon, false)) return *e;
  if (auto e = time_flag("warmup", sc->run.warmup, true)) return *e;
  auto reps = uint_flag(args, "reps", 1, 100000, sc->run.replications);
  if (!reps) return reps.error();
  sc->run.replications = static_cast<uint32_t>(*reps);
  auto seed = uint_flag(args, "seed", 0, UINT64_MAX, sc->run.seed);
  if (!seed) return seed.error();
  sc->run.seed = *seed;
  auto threads = uint_flag(args, "threads", 1, 1024, 0);
  if (!threads) return threads.error();
  sc->run.threads = static_cast<uint32_t>(*threads);
  return sc;
}

}  // namespace linetwin::cli
