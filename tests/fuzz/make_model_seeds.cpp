// Writes small valid surrogate model files into a folder, as seeds for fuzz_model_file: the real
// format (surrogates/model_file.hpp) with made-up weights, so that no LibTorch training is needed.
// Usage: make_model_seeds FOLDER
#include <cstdio>
#include <fstream>
#include <string>

#include "surrogates/mlp.hpp"
#include "surrogates/model.hpp"
#include "surrogates/model_file.hpp"

namespace sg = linetwin::surrogates;

namespace {

sg::detail::Mlp made_up_network(size_t inputs, size_t outputs, int hidden_layers, int width) {
  sg::detail::Mlp mlp;
  size_t in = inputs;
  for (int i = 0; i <= hidden_layers; ++i) {
    sg::detail::Layer l;
    l.in = in;
    l.out = i < hidden_layers ? static_cast<size_t>(width) : outputs;
    for (size_t k = 0; k < l.in * l.out; ++k) l.w.push_back(0.1f * static_cast<float>(k % 7) - 0.3f);
    for (size_t k = 0; k < l.out; ++k) l.b.push_back(0.05f * static_cast<float>(k));
    in = l.out;
    mlp.layers.push_back(l);
  }
  return mlp;
}

bool write(const std::string& path, const sg::detail::ModelHeader& h) {
  const auto net = made_up_network(h.info.factors.size(), h.info.kpis.size(), h.hidden_layers, h.width);
  const std::string bytes = sg::detail::model_file_bytes(h, net.bytes());
  if (auto back = sg::SurrogateModel::from_bytes(bytes, path); !back) {
    std::fprintf(stderr, "make_model_seeds: the seed does not read back: %s\n", back.error().message().c_str());
    return false;
  }
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return static_cast<bool>(out.flush());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_model_seeds FOLDER\n");
    return 2;
  }
  const std::string dir = argv[1];
  sg::detail::ModelHeader h;
  h.info.scenario = "Two-station line";
  h.info.source = "scenarios/two_station.yaml";
  h.info.time_unit = linetwin::TimeUnit::kMinute;
  h.info.samples = 40;
  h.info.replications = 2;
  h.info.seed = 1;
  h.info.factors = {{"stations.m2.machines", 1, 4, true, 1}, {"sources.arrivals.interarrival.mean", 0.8, 1.5, false, 1.25}};
  h.info.kpis = {"throughput", "lead_time", "wip"};
  h.outputs = {{false, 0, 0.8, 0.1}, {true, 0, 1.4, 0.5}, {true, 0.5, 1.1, 0.7}};
  h.holdout = {{"throughput", 0.98, 1.5, 8}, {"lead_time", 0.91, 6.2, 8}, {"wip", 0.9, 7.5, 8}};
  h.hidden_layers = 1;
  h.width = 4;
  bool ok = write(dir + "/no_objective.model", h);
  h.info.objective = linetwin::scenarios::Objective{true, "throughput", {{"stations.m2.machines", 0.05}}};
  h.hidden_layers = 2;
  h.width = 3;
  ok = write(dir + "/objective.model", h) && ok;
  return ok ? 0 : 1;
}
