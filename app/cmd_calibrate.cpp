// `linetwin calibrate TRACE --scenario S --out S2`: fits each station's times from a trace and
// writes the scenario with the best fits (as --set overrides of S, read and written back whole).
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "core/files.hpp"
#include "twin/calibrate/calibrate.hpp"
#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/live_common.hpp"
#include "app/report.hpp"

namespace linetwin::cli {
namespace {

std::string fmt_num(double v) {
  if (!std::isfinite(v)) return "-";
  return fmt::format("{:.4g}", v);
}

std::string params_text(const calibrate::DistFit& f) {
  std::string s;
  for (const auto& p : f.params) {
    if (!s.empty()) s += ", ";
    s += p.name + " " + fmt_num(p.value);
    if (std::isfinite(p.se)) s += " ± " + fmt_num(p.se);
  }
  return s;
}

Json calibration_json(const calibrate::Calibration& c, const std::string& trace, const std::string& out) {
  Json times = Json::array();
  for (const auto& t : c.times) {
    Json fits = Json::array();
    for (const auto& f : t.fits) {
      Json params = Json::object();
      for (const auto& p : f.params) params[p.name] = {{"value", p.value}, {"se", p.se}};
      Json& fo = fits.emplace_back();
      fo["family"] = f.family;
      fo["dist"] = calibrate::dist_yaml(f.dist);
      fo["params"] = std::move(params);
      fo["log_likelihood"] = f.log_likelihood;
      fo["aic"] = f.aic;
      fo["ks"] = f.ks;
      fo["ks_p"] = calibrate::ks_p_value(f.ks, t.n);
    }
    Json& to = times.emplace_back();
    to["path"] = t.path;
    to["n"] = t.n;
    to["mean"] = t.mean;
    to["sd"] = t.sd;
    to["scenario"] = calibrate::dist_yaml(t.model);
    to["fits"] = std::move(fits);
  }
  Json o;
  o["trace"] = trace;
  o["events"] = c.events;
  o["duration_s"] = c.duration_s;
  o["out_of_order"] = c.out_of_order;
  o["times"] = std::move(times);
  o["out"] = out;
  return o;
}

std::string calibration_table(const calibrate::Calibration& c, const scenarios::Scenario& sc, const std::string& trace) {
  std::ostringstream o;
  o << "Calibrated '" << sc.line.name << "' from " << trace << ": " << c.events << " events over "
    << fmt_num(c.duration_s) << " s (" << c.out_of_order << " out of order). Times in " << unit_name(sc.line.time_unit)
    << "; the best fit has the lowest AIC.\n\n";
  for (const auto& t : c.times) {
    o << t.path << ": n " << t.n << ", mean " << fmt_num(t.mean) << ", sd " << fmt_num(t.sd)
      << "; the scenario says " << calibrate::dist_yaml(t.model) << "\n";
    if (t.fits.empty()) {
      o << "    too few observations (" << calibrate::kMinSamples << " needed): kept as it is\n";
      continue;
    }
    for (size_t i = 0; i < t.fits.size() && i < 3; ++i) {
      const auto& f = t.fits[i];
      o << fmt::format("    {} {:<12} AIC {:+10.1f}  KS {:.4f} (p {:.2f})  ", i == 0 ? "best" : "    ", f.family,
                       f.aic - t.fits[0].aic, f.ks, calibrate::ks_p_value(f.ks, t.n))
        << params_text(f) << "\n";
    }
  }
  return o.str();
}

}  // namespace

int cmd_calibrate(const Args& args) {
  const std::string where = "linetwin calibrate";
  if (args.positional.size() != 1)
    return fail(Error::in(where, "expects one trace file, e.g. 'linetwin calibrate run.trace --scenario line.yaml --out calibrated.yaml'"));
  if (!args.value("scenario")) return fail(Error::in(where, "needs --scenario FILE, the scenario to calibrate"));
  auto overrides = overrides_of(args);
  if (!overrides) return fail(overrides.error());
  const std::string scenario_path = *args.value("scenario");
  auto sc = scenarios::load_scenario(scenario_path, *overrides);
  if (!sc) return fail(sc.error());
  const auto out = args.value("out");
  if (out)
    if (auto ok = check_writable_file(*out); !ok) return fail(ok.error());

  const std::string trace = args.positional[0];
  auto c = calibrate::calibrate_trace(trace, *sc);
  if (!c) return fail(c.error());
  if (out) {
    auto all = *overrides;
    for (auto& o : calibrate::calibration_overrides(*c)) all.push_back(std::move(o));
    auto calibrated = scenarios::load_scenario(scenario_path, all);
    if (!calibrated)
      return fail(Error::in(where, "the calibrated scenario does not validate: " + calibrated.error().message()));
    if (auto ok = write_file_whole(*out, scenarios::write_scenario(*calibrated)); !ok)
      return fail(ok.error());
  }
  if (args.has("json"))
    std::cout << json_text(calibration_json(*c, trace, out.value_or("")));
  else
    std::cout << calibration_table(*c, *sc, trace) << (out ? "\nWrote " + *out + "\n" : std::string());
  return 0;
}

}  // namespace linetwin::cli
