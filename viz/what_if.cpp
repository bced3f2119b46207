// Changes are checked by writing the scenario and reading it back with the scenario module's own
// validation, so a change the window lets through is one `linetwin run` accepts.
#include "viz/what_if.hpp"

#include "core/files.hpp"

namespace linetwin::viz {

void scale_dist(sim::Dist& d, double f) {
  switch (d.kind) {  // every parameter that is a time; a Weibull's shape and an Erlang's k are not
    case sim::DistKind::kConstant: d.value *= f; break;
    case sim::DistKind::kExponential: d.exponential.mean *= f; break;
    case sim::DistKind::kNormal:
      d.normal.mean *= f;
      d.normal.sd *= f;
      break;
    case sim::DistKind::kLognormal:
      d.lognormal.mean *= f;
      d.lognormal.sd *= f;
      break;
    case sim::DistKind::kUniform:
      d.uniform.min *= f;
      d.uniform.max *= f;
      break;
    case sim::DistKind::kTriangular:
      d.triangular.min *= f;
      d.triangular.mode *= f;
      d.triangular.max *= f;
      break;
    case sim::DistKind::kErlang: d.erlang.mean *= f; break;
    case sim::DistKind::kWeibull: d.weibull.scale *= f; break;
    case sim::DistKind::kEmpirical:
      for (double& v : d.values) v *= f;
      break;
  }
}

void set_process_mean(scenarios::Scenario& sc, uint32_t s, uint32_t p, double mean) {
  sim::Dist& d = sc.line.stations[s].process[p];
  const double old = d.mean();
  if (old > 0)
    scale_dist(d, mean / old);
  else
    d = sim::constant(mean);
}

void set_source_rate(scenarios::Scenario& sc, uint32_t i, double rate) {
  sim::Dist& d = sc.line.sources[i].interarrival;
  const double old = d.mean();
  if (old > 0)
    scale_dist(d, 1 / rate / old);
  else
    d = sim::exponential(1 / rate);
}

std::vector<uint32_t> products_at(const scenarios::Scenario& sc, uint32_t s) {
  std::vector<uint32_t> out;
  for (uint32_t p = 0; p < sc.line.products.size(); ++p)
    for (sim::StationId st : sc.line.products[p].route)
      if (sim::idx(st) == s) {
        out.push_back(p);
        break;
      }
  return out;
}

Result<scenarios::Scenario> checked(const scenarios::Scenario& sc) {
  auto back = scenarios::parse_scenario(scenarios::write_scenario(sc), sc.file);
  if (!back) {
    Error e = back.error();
    e.line = e.column = 0;  // positions in the written text mean nothing to the user
    return e;
  }
  return *back;
}

Result<bool> save_scenario(const scenarios::Scenario& sc, const std::string& path) {
  auto ok = checked(sc);
  if (!ok) return ok.error();
  return write_file_whole(path, scenarios::write_scenario(*ok));
}

}  // namespace linetwin::viz
