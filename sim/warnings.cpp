#include "sim/warnings.hpp"

#include <algorithm>
#include <functional>

namespace linetwin::sim {
namespace {

std::string names(const LineDef& line, const std::vector<uint32_t>& stations) {
  std::string s;
  for (size_t i = 0; i < stations.size(); ++i)
    s += (i == 0 ? "" : i + 1 == stations.size() ? " and " : ", ") + ("'" + line.stations[stations[i]].name + "'");
  return s;
}

// The stations on a cycle of the graph "an item leaves station u for station v" whose every
// station blocks (a finite buffer): items on such a cycle can each wait for a place held by the
// next, for ever. Tarjan's strongly connected components; a component of two or more stations,
// or one station that feeds itself, is a cycle.
std::vector<std::vector<uint32_t>> blocking_cycles(const LineDef& line) {
  const uint32_t n = static_cast<uint32_t>(line.stations.size());
  std::vector<std::vector<uint32_t>> next(n);
  std::vector<bool> self(n, false);
  for (const auto& p : line.products)
    for (size_t k = 0; k + 1 < p.route.size(); ++k) {
      const uint32_t u = idx(p.route[k]), v = idx(p.route[k + 1]);
      if (line.stations[u].buffer == kUnlimited || line.stations[v].buffer == kUnlimited) continue;
      const bool unbounded_transport = std::any_of(line.transports.begin(), line.transports.end(), [&](const TransportDef& t) {
        return idx(t.from) == u && idx(t.to) == v && t.capacity == kUnlimited;
      });
      if (unbounded_transport) continue;  // a machine can always hand its item to the transport
      if (u == v) self[u] = true;
      if (std::find(next[u].begin(), next[u].end(), v) == next[u].end()) next[u].push_back(v);
    }
  std::vector<int> index(n, -1), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<uint32_t> stack;
  std::vector<std::vector<uint32_t>> cycles;
  int counter = 0;
  std::function<void(uint32_t)> visit = [&](uint32_t u) {
    index[u] = low[u] = counter++;
    stack.push_back(u);
    on_stack[u] = true;
    for (uint32_t v : next[u]) {
      if (index[v] < 0) {
        visit(v);
        low[u] = std::min(low[u], low[v]);
      } else if (on_stack[v]) {
        low[u] = std::min(low[u], index[v]);
      }
    }
    if (low[u] != index[u]) return;
    std::vector<uint32_t> component;
    uint32_t v = 0;
    do {
      v = stack.back();
      stack.pop_back();
      on_stack[v] = false;
      component.push_back(v);
    } while (v != u);
    if (component.size() > 1 || self[u]) {
      std::sort(component.begin(), component.end());
      cycles.push_back(component);
    }
  };
  for (uint32_t u = 0; u < n; ++u)
    if (index[u] < 0) visit(u);
  std::sort(cycles.begin(), cycles.end());
  return cycles;
}

}  // namespace

std::vector<std::string> line_warnings(const LineDef& line) {
  std::vector<std::string> out;
  std::vector<bool> visited(line.stations.size(), false), made(line.products.size(), false);
  for (const auto& p : line.products)
    for (StationId s : p.route) visited[idx(s)] = true;
  for (const auto& src : line.sources)
    for (const auto& m : src.mix)
      if (idx(m.product) < made.size()) made[idx(m.product)] = true;
  for (size_t p = 0; p < line.products.size(); ++p) made[p] = made[p] || line.products[p].assembled();
  for (size_t s = 0; s < line.stations.size(); ++s)
    if (!visited[s]) out.push_back("station '" + line.stations[s].name + "' is on no product's route, so it stays idle");
  for (size_t p = 0; p < line.products.size(); ++p)
    if (!made[p]) out.push_back("product '" + line.products[p].name + "' is made by no source, so none enters the line");
  for (const auto& cycle : blocking_cycles(line))
    out.push_back("items can travel in a circle through stations " + names(line, cycle) +
                  " whose buffers are all finite: the line can lock for good (a deadlock) when they fill; "
                  "make one of those buffers unlimited or route the products one way");
  return out;
}

}  // namespace linetwin::sim
