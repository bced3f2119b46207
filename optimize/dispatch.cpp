#include "optimize/dispatch.hpp"


#include "sim/random.hpp"

namespace linetwin::optimize {

const std::vector<std::pair<std::string, Rule>>& rule_names() {
  static const std::vector<std::pair<std::string, Rule>> names = {
      {"spt", Rule::kSpt},     {"lpt", Rule::kLpt},     {"mwkr", Rule::kMwkr}, {"lwkr", Rule::kLwkr},
      {"mopnr", Rule::kMopnr}, {"fifo", Rule::kFifo},   {"random", Rule::kRandom}};
  return names;
}

std::vector<std::vector<int>> dispatch(const JobShop& shop, Rule rule, uint64_t seed) {
  sim::Rng rng(seed);
  return giffler_thompson(shop, [&](const std::vector<size_t>& conflict, const GtState& st) {
    size_t chosen = 0;
    double best_key = 0;
    for (size_t c = 0; c < conflict.size(); ++c) {
      const size_t j = conflict[c];
      const auto& op = shop.jobs[j][st.next[j]];
      double key = 0;  // smaller is better
      switch (rule) {
        case Rule::kSpt: key = double(op.duration); break;
        case Rule::kLpt: key = -double(op.duration); break;
        case Rule::kMwkr: key = -double(st.work_left[j]); break;
        case Rule::kLwkr: key = double(st.work_left[j]); break;
        case Rule::kMopnr: key = -double(shop.jobs[j].size() - st.next[j]); break;
        case Rule::kFifo: key = double(st.job_ready[j]); break;
        case Rule::kRandom: key = rng.uniform(); break;
      }
      key += 1e-9 * rng.uniform();  // ties broken at random, reproducibly
      if (c == 0 || key < best_key) chosen = c, best_key = key;
    }
    return chosen;
  });
}

}  // namespace linetwin::optimize
