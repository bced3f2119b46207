#include "twin/calibrate/calibrate.hpp"

#include <cmath>

#include "twin/live/mirror.hpp"
#include "twin/live/trace.hpp"

namespace linetwin::calibrate {
namespace {

TimeFit fit_time(std::string path, const std::vector<double>& x, const sim::Dist& model) {
  TimeFit t;
  t.path = std::move(path);
  t.n = x.size();
  t.model = model;
  live::Moments m;
  for (double v : x) m.add(v);
  t.mean = m.mean;
  t.sd = m.sd();
  if (x.size() >= kMinSamples) t.fits = fit_all(x);
  return t;
}

}  // namespace

Result<Calibration> calibrate_trace(const std::string& path, const scenarios::Scenario& sc) {
  auto reader = live::TraceReader::open(path);
  if (!reader) return reader.error();
  const sim::LineDef& line = sc.line;
  for (const auto& name : (*reader)->header().stations) {
    bool found = false;
    for (const auto& s : line.stations) found = found || s.name == name;
    if (!found)
      return Error::at(path, 1, 0, "stations", "the trace has a station '" + name + "' that " + sc.file + " lacks");
  }
  live::Mirror mirror(line, /*keep_samples=*/true, /*from_start=*/true);
  Calibration c;
  live::PlantEvent e;
  for (;;) {
    auto more = (*reader)->next(e);
    if (!more) return more.error();
    if (!*more) break;
    ++c.events;
    std::string why;
    const live::Fit fit = mirror.apply(e, &why);
    if (fit == live::Fit::kUnknown)
      return Error::at(path, (*reader)->line(), 0, "", why + ", which " + sc.file + " does not have");
    if (fit == live::Fit::kOutOfOrder) ++c.out_of_order;
    c.duration_s = e.t;
  }
  for (size_t s = 0; s < line.stations.size(); ++s) {
    const sim::StationDef& sd = line.stations[s];
    const live::Mirror::Station& st = mirror.stations()[s];
    const std::string base = "stations." + sd.name;
    bool pooled = true;
    for (const auto& p : sd.process) pooled = pooled && p == sd.process[0];
    if (pooled) {
      std::vector<double> all;
      for (const auto& v : st.process_samples) all.insert(all.end(), v.begin(), v.end());
      c.times.push_back(fit_time(base + ".process", all, sd.process[0]));
    } else {
      for (size_t p = 0; p < sd.process.size(); ++p)
        c.times.push_back(fit_time(base + ".process." + line.products[p].name, st.process_samples[p], sd.process[p]));
    }
    if (sd.has_setups() && !st.setup_samples.empty()) {
      // One setup for every change of product (`setup`): all pairs pooled; a matrix: pair by pair.
      const size_t n = line.products.size();
      const sim::Dist* first = nullptr;
      bool uniform = true;
      for (size_t a = 0; a < n; ++a)
        for (size_t b = 0; b < n; ++b)
          if (a != b) {
            if (!first) first = &sd.setups[a * n + b];
            uniform = uniform && sd.setups[a * n + b] == *first;
          }
      if (first && uniform) {
        std::vector<double> all;
        for (const auto& v : st.setup_samples) all.insert(all.end(), v.begin(), v.end());
        c.times.push_back(fit_time(base + ".setup", all, *first));
      } else {
        for (size_t a = 0; a < n; ++a)
          for (size_t b = 0; b < n; ++b) {
            const sim::Dist& d = sd.setups[a * n + b];
            // A pair the matrix gives no changeover (constant 0) has none to fit.
            if (a == b || (d.kind == sim::DistKind::kConstant && d.value == 0)) continue;
            c.times.push_back(fit_time(base + ".setup_matrix." + line.products[a].name + "." + line.products[b].name,
                                       st.setup_samples[a * n + b], d));
          }
      }
    }
    if (sd.has_failures || st.ttf_samples.size() >= kMinSamples) {
      c.times.push_back(fit_time(base + ".failures.ttf", st.ttf_samples, sd.failures.ttf));
      c.times.push_back(fit_time(base + ".failures.ttr", st.ttr_samples, sd.failures.ttr));
    }
  }
  // Interarrival times belong to a source only when one source feeds the line.
  size_t timed = 0, which = 0;
  for (size_t i = 0; i < line.sources.size(); ++i)
    if (!line.sources[i].saturated) ++timed, which = i;
  if (timed == 1 && line.sources.size() == 1)
    c.times.push_back(fit_time("sources." + line.sources[which].name + ".interarrival", mirror.interarrival_samples(),
                               line.sources[which].interarrival));
  return c;
}

std::vector<scenarios::Override> calibration_overrides(const Calibration& c) {
  std::vector<scenarios::Override> out;
  // A station that had no failure model gets one only when both of its times were fitted.
  for (size_t i = 0; i < c.times.size(); ++i) {
    const TimeFit& t = c.times[i];
    if (t.fits.empty()) continue;
    const bool ttf = t.path.size() > 13 && t.path.compare(t.path.size() - 13, 13, ".failures.ttf") == 0;
    if (ttf && i + 1 < c.times.size() && !c.times[i + 1].fits.empty()) {
      const std::string station = t.path.substr(0, t.path.size() - 13);
      out.push_back({station + ".failures", "{ttf: " + dist_yaml(t.fits[0].dist) + ", ttr: " +
                                                dist_yaml(c.times[i + 1].fits[0].dist) + "}"});
      ++i;
      continue;
    }
    if (ttf) continue;
    out.push_back({t.path, dist_yaml(t.fits[0].dist)});
  }
  return out;
}

}  // namespace linetwin::calibrate
