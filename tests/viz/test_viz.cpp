// The viewer's plain parts, without a window: the mirror built from events agrees with the
// simulator's own statistics and conserves items; the layout follows the flow and honours the
// scenario's places; the scene draws every item it should; Bullet picks the station under a
// projected point; what-if edits change means exactly and save files `linetwin run` reads.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>

#include "scenarios/scenario.hpp"
#include "sim/line.hpp"
#include "viz/camera.hpp"
#include "viz/layout.hpp"
#include "viz/line_mirror.hpp"
#include "viz/live_line.hpp"
#include "viz/picking.hpp"
#include "viz/scene.hpp"
#include "viz/what_if.hpp"

using namespace linetwin::viz;
namespace scen = linetwin::scenarios;
namespace sim = linetwin::sim;

namespace {

const std::string kDir = std::string(LINETWIN_SOURCE_DIR) + "/";

scen::Scenario load(const std::string& rel, const std::vector<scen::Override>& o = {}) {
  auto r = scen::load_scenario(kDir + rel, o);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  return *r;
}

const char* const kExamples[] = {"scenarios/bottling_line.yaml", "scenarios/machining_cell.yaml",
                                 "scenarios/assembly_line.yaml", "tests/viz/line50.yaml"};

}  // namespace

TEST_CASE("the mirror's figures equal the simulator's own statistics on every example line") {
  for (const char* name : kExamples) {
    CAPTURE(name);
    scen::Scenario sc = load(name);
    sim::LineSim line(sc.line, sc.run, 0);
    LineMirror mirror(sc.line);
    line.add_observer(&mirror);
    // Stop half-way: the figures must agree for a run in progress too.
    const double mid = sc.run.warmup + sc.run.horizon / 2;
    line.run_until(mid);
    for (int pass = 0; pass < 2; ++pass) {
      const double now = line.now();
      const sim::RepResult r = line.result();
      const LineKpis k = mirror.kpis(now);
      CHECK(k.throughput == doctest::Approx(r.throughput).epsilon(1e-9));
      CHECK(k.wip == doctest::Approx(r.wip).epsilon(1e-6));
      if (r.finished > 0) CHECK(k.lead_time == doctest::Approx(r.lead_time).epsilon(1e-9));
      CHECK(k.lost == doctest::Approx(r.lost).epsilon(1e-9));
      // Conservation: the items the mirror sees in buffers, machines and transports are those in the line.
      uint64_t seen = 0;
      for (const auto& st : mirror.stations()) {
        seen += st.queue.size();
        for (const auto& m : st.machines) seen += m.item != 0;
      }
      for (const auto& t : mirror.transports()) seen += t.size();
      CHECK(seen == r.in_line);
      CHECK(k.in_line == r.in_line);
      for (uint32_t s = 0; s < sc.line.stations.size(); ++s) {
        const StationFractions f = mirror.fractions(s, now);
        CHECK(f.busy == doctest::Approx(r.stations[s].utilization).epsilon(1e-6));
        CHECK(f.blocked == doctest::Approx(r.stations[s].blocked).epsilon(1e-6));
        CHECK(f.starved == doctest::Approx(r.stations[s].starved).epsilon(1e-6));
        CHECK(f.down == doctest::Approx(r.stations[s].down).epsilon(1e-6));
        CHECK(f.queue == doctest::Approx(r.stations[s].queue).epsilon(1e-6));
        CHECK(f.busy + f.blocked + f.starved + f.down == doctest::Approx(1.0));
      }
      line.run();
      CHECK(mirror.over());
    }
  }
}

TEST_CASE("machines hold an item exactly when busy or blocked or down and buffers never exceed their places") {
  scen::Scenario sc = load("scenarios/bottling_line.yaml");
  LiveLine live(sc);
  for (double t = 600; t < 20000; t += 611) {
    live.advance_to(t);
    for (uint32_t s = 0; s < sc.line.stations.size(); ++s) {
      const auto& st = live.mirror().stations()[s];
      CHECK(st.queue.size() <= sc.line.stations[s].buffer);
      for (const auto& m : st.machines) CHECK((m.item != 0) == (m.state != MachineState::kStarved));
    }
    for (uint32_t t2 = 0; t2 < sc.line.transports.size(); ++t2)
      CHECK(live.mirror().transports()[t2].size() <= sc.line.transports[t2].capacity);
  }
  CHECK(live.history().size() > 10);
  CHECK(live.history().size() <= LiveLine::kMaxSamples + 2);
}

TEST_CASE("layers follow the routes and a rework loop does not break them") {
  scen::Scenario sc = load("scenarios/machining_cell.yaml");
  auto layer = flow_layers(sc.line);
  // saw, lathe, mill, inspection: the flange goes saw > lathe > mill > inspection.
  CHECK(layer == std::vector<uint32_t>{0, 1, 2, 3});
  auto loop = scen::parse_scenario(
      "name: loop\nproducts: [{name: A, route: [a, b, c, b, d]}]\n"
      "sources: [{name: s, product: A, interarrival: 10}]\n"
      "stations: [{name: a, process: 1}, {name: b, process: 1}, {name: c, process: 1}, {name: d, process: 1}]\n",
      "loop.yaml");
  REQUIRE(loop.ok());
  auto l2 = flow_layers(loop->line);
  CHECK(l2[0] < l2[1]);
  CHECK(l2[1] < l2[2]);
  CHECK(l2[1] < l2[3]);
}

TEST_CASE("the automatic layout runs along the flow without overlaps and folds a long line into rows") {
  for (const char* name : kExamples) {
    CAPTURE(name);
    scen::Scenario sc = load(name);
    LineLayout l = make_layout(sc.line, {});
    REQUIRE(l.stations.size() == sc.line.stations.size());
    for (std::size_t a = 0; a < l.stations.size(); ++a)
      for (std::size_t b = a + 1; b < l.stations.size(); ++b) {
        const auto &p = l.stations[a], &q = l.stations[b];
        const bool apart = std::abs(p.box_center.x - q.box_center.x) >= p.box_half.x + q.box_half.x ||
                           std::abs(p.box_center.z - q.box_center.z) >= p.box_half.z + q.box_half.z;
        CHECK_MESSAGE(apart, sc.line.stations[a].name << " overlaps " << sc.line.stations[b].name);
      }
    for (std::size_t t = 0; t < l.transports.size(); ++t) {
      const auto& p = l.transports[t];
      CHECK(p.points.size() >= 2);
      CHECK(glm::length(p.points.front() - l.stations[p.from].exit) < 1e-4f);
      CHECK(glm::length(p.points.back() - l.stations[p.to].entry) < 1e-4f);
      CHECK(p.length >= glm::length(p.points.back() - p.points.front()) - 1e-3f);
    }
    const float long_side = std::max(l.hi.x - l.lo.x, l.hi.z - l.lo.z);
    const float short_side = std::min(l.hi.x - l.lo.x, l.hi.z - l.lo.z);
    if (sc.line.stations.size() >= 50) CHECK(long_side < 4 * short_side);  // folded, not a 350 m strip
  }
}

TEST_CASE("a scenario's layout places its stations and routes its conveyors through the waypoints") {
  scen::Scenario sc = load("scenarios/bottling_line.yaml",
                           {{"layout", "{filler: {x: 40, y: 12, angle: 90}, washer>filler: [[30, 0], [30, 5]]}"}});
  LineLayout l = make_layout(sc.line, sc.layout);
  const auto& filler = l.stations[2];
  CHECK(filler.center.x == doctest::Approx(40));
  CHECK(filler.center.z == doctest::Approx(12));
  CHECK(filler.dir.z == doctest::Approx(1));  // items flow along +y of the plan, +z here
  const auto& conveyor = l.transports[1];
  REQUIRE(conveyor.points.size() == 4);
  CHECK(conveyor.points[1].x == doctest::Approx(30));
  CHECK(conveyor.points[2].z == doctest::Approx(5));
  glm::vec3 mid = point_along(conveyor, conveyor.length / 2);
  CHECK(std::isfinite(mid.x));
}

TEST_CASE("the scene has one box per machine and one per item in the line") {
  scen::Scenario sc = load("scenarios/bottling_line.yaml");
  LiveLine live(sc);
  live.advance_to(3600);
  LineLayout l = make_layout(sc.line, sc.layout);
  SceneFrame f;
  build_scene(sc.line, l, live.mirror(), live.now(), live.travel_mean(), 2, f);
  CHECK(f.items_drawn == live.mirror().kpis(live.now()).in_line);
  // Machine boxes carry their state's colour.
  std::set<std::array<float, 3>> colors;
  for (const auto& b : f.boxes) colors.insert({b.color[0], b.color[1], b.color[2]});
  int machine_colored = 0;
  for (const auto& st : live.mirror().stations())
    for (const auto& m : st.machines) machine_colored += colors.count(state_color(m.state)) > 0;
  CHECK(machine_colored == 6);
  for (const auto& b : f.boxes) {
    CHECK(std::isfinite(b.center[0]));
    CHECK(b.half[0] > 0);
  }
  std::vector<LineVertex> grid;
  build_grid(l, grid);
  CHECK(grid.size() > 40);
  CHECK(grid.size() % 2 == 0);
}

TEST_CASE("a click on a station's projected centre picks that station with a Bullet ray test") {
  scen::Scenario sc = load("scenarios/machining_cell.yaml");
  LineLayout l = make_layout(sc.line, {});
  StationPicker picker(l);
  OrbitCamera cam;
  const float w = 800, h = 600;
  cam.fit(l.lo, l.hi, w / h);
  const glm::mat4 vp = cam.projection(w / h) * cam.view();
  for (uint32_t s = 0; s < l.stations.size(); ++s) {
    glm::vec3 ndc = to_ndc(vp, l.stations[s].box_center);
    const float px = (ndc.x + 1) / 2 * w, py = (1 - ndc.y) / 2 * h;
    auto hit = picker.pick(cam.ray(px, py, w, h));
    REQUIRE(hit.has_value());
    CHECK(*hit == s);
  }
  CHECK_FALSE(picker.pick(cam.ray(1, 1, w, h)).has_value());  // the corner sees only floor
}

TEST_CASE("what-if edits set means exactly and save a file that loads to the same line") {
  scen::Scenario sc = load("scenarios/machining_cell.yaml");
  set_process_mean(sc, 1, 0, 30);       // lathe, shafts: lognormal
  CHECK(sc.line.stations[1].process[0].mean() == doctest::Approx(30));
  set_process_mean(sc, 0, 2, 4);        // saw, brackets: triangular
  CHECK(sc.line.stations[0].process[2].mean() == doctest::Approx(4));
  set_source_rate(sc, 0, 0.2);
  CHECK(1 / sc.line.sources[0].interarrival.mean() == doctest::Approx(0.2));
  sc.line.stations[2].machines = 3;
  sc.line.stations[3].buffer = 9;
  for (sim::Dist d : {sim::weibull(1.5, 2.5), sim::erlang(1.5, 3), sim::uniform(1.5, 2.5), sim::normal(1.5, 2.5),
                      sim::triangular(1.5, 2.5, 3), sim::lognormal(1.5, 2.5), sim::empirical({1, 2, 6})}) {
    const double before = d.mean();
    scale_dist(d, 2.5);
    CHECK(d.mean() == doctest::Approx(before * 2.5).epsilon(1e-6));
  }
  const std::string path = std::filesystem::temp_directory_path() / "linetwin_test_what_if.yaml";
  auto saved = save_scenario(sc, path);
  REQUIRE_MESSAGE(saved.ok(), (saved.ok() ? "" : saved.error().message()));
  auto back = scen::load_scenario(path);
  REQUIRE(back.ok());
  CHECK(back->line.stations[2].machines == 3);
  CHECK(back->line.stations[3].buffer == 9);
  CHECK(back->line.stations[1].process[0].mean() == doctest::Approx(30));
  std::filesystem::remove(path);
  auto bad = save_scenario(sc, "/no/such/folder/x.yaml");
  CHECK_FALSE(bad.ok());
  sc.line.stations[0].machines = 0;
  CHECK_FALSE(checked(sc).ok());
}
