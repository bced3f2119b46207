// The optional `layout:` of a scenario, for the viewer: a position per station and waypoints per
// transport, both in metres on the floor. Keys name stations ("filler") or transports by their
// ends ("washer>filler"), as --set paths do.
//
//   layout:
//     washer: [6, 0]                    # [x, y]
//     filler: {x: 12, y: 0, angle: 90}  # angle: the direction items flow, in degrees
//     washer>filler: [[9, 0], [9, 4]]   # points between the two stations
#include <algorithm>
#include <cmath>

#include "scenarios/line_read.hpp"

namespace linetwin::scenarios::detail {
namespace {

// Far beyond any factory floor, in metres; it keeps the viewer's geometry finite.
constexpr double kMaxCoordinate = 100'000;
constexpr std::size_t kMaxWaypoints = 1000;

const std::string kHint =
    "a mapping of STATION: [x, y] (or {x, y, angle}) and FROM>TO: [[x, y], ...] for a transport's "
    "waypoints, in metres";

double coordinate(const Reader& r, const Node& n, const std::string& path) {
  double v = r.number(n, path);
  if (std::abs(v) > kMaxCoordinate)
    r.fail(n, path, "expected a coordinate between -100000 and 100000 metres, got " + describe(n));
  return v;
}

std::array<double, 2> point(const Reader& r, const Node& n, const std::string& path) {
  if (!n.is_seq() || n.items.size() != 2)
    r.fail(n, path, "expected a point [x, y] in metres, got " +
                        (n.is_seq() ? "a list of " + std::to_string(n.items.size()) : describe(n)));
  return {coordinate(r, n.items[0], path), coordinate(r, n.items[1], path)};
}

StationPlace place(const Reader& r, const Node& n, const std::string& path, sim::StationId station) {
  StationPlace p;
  p.station = station;
  if (n.is_map()) {
    r.check_keys(n, path, {"x", "y", "angle"}, "the layout of station '" + path.substr(7) + "'");
    p.x = coordinate(r, r.need(n, "x", path, "the station's x in metres"), path + ".x");
    p.y = coordinate(r, r.need(n, "y", path, "the station's y in metres"), path + ".y");
    if (const Node* a = r.get(n, "angle")) {
      p.angle = r.number(*a, path + ".angle");
      if (std::abs(p.angle) > 360) r.fail(*a, path + ".angle", "expected an angle between -360 and 360 degrees, got " + describe(*a));
    }
    return p;
  }
  if (!n.is_seq()) r.fail(n, path, "expected the station's place [x, y] or {x, y, angle}, got " + describe(n));
  auto xy = point(r, n, path);
  p.x = xy[0];
  p.y = xy[1];
  return p;
}

}  // namespace

void read_layout(const Reader& r, const Node& root, const sim::LineDef& line, Layout& layout) {
  const Node* n = r.get(root, "layout");
  if (!n) return;
  r.expect_map(*n, "layout", kHint);
  std::vector<std::string> stations, transports;
  for (const auto& s : line.stations) stations.push_back(s.name);
  for (const auto& t : line.transports)
    transports.push_back(line.stations[sim::idx(t.from)].name + ">" + line.stations[sim::idx(t.to)].name);
  for (std::size_t i = 0; i < n->keys.size(); ++i) {
    const std::string& key = n->keys[i].text;
    const std::string path = "layout." + key;
    const Node& value = n->items[i];
    if (key.find('>') == std::string::npos) {
      auto it = std::find(stations.begin(), stations.end(), key);
      if (it == stations.end())
        r.fail_key(*n, i, path, "unknown station '" + key + "' in the layout; stations are: " + join(stations) +
                                    " (a transport is written FROM>TO)");
      layout.stations.push_back(place(r, value, path, static_cast<sim::StationId>(it - stations.begin())));
      continue;
    }
    auto it = std::find(transports.begin(), transports.end(), key);
    if (it == transports.end())
      r.fail_key(*n, i, path, "no transport '" + key + "' in this scenario; transports are: " +
                                  (transports.empty() ? std::string("none") : join(transports)));
    r.expect_seq(value, path, "the transport's waypoints, a list of points [[x, y], ...]");
    if (value.items.size() > kMaxWaypoints)
      r.fail(value, path, "expected at most " + std::to_string(kMaxWaypoints) + " waypoints, got " +
                              std::to_string(value.items.size()));
    TransportPath tp;
    tp.transport = static_cast<sim::TransportId>(it - transports.begin());
    for (const Node& p : value.items) tp.waypoints.push_back(point(r, p, path));
    layout.transports.push_back(std::move(tp));
  }
}

}  // namespace linetwin::scenarios::detail
