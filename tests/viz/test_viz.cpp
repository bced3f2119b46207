// The viewer's plain parts, without a window: the figures kept from events agree with the
// simulator's own statistics and count the items its picture of the line holds; the scene draws
// the twin's mirrored picture of a line as it draws the simulator's; the layout follows the flow and honours the
// scenario's places; the scene draws every item it should; Bullet picks the station under a
// projected point; what-if edits change means exactly and save files `linetwin run` reads.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <string>

#include <glm/geometric.hpp>

#include "scenarios/scenario.hpp"
#include "sim/line.hpp"
#include "viz/camera.hpp"
#include "viz/layout.hpp"
#include "twin/live/mirror.hpp"
#include "twin/live/trace.hpp"
#include "viz/line_figures.hpp"
#include "viz/live_line.hpp"
#include "viz/picking.hpp"
#include "viz/scene.hpp"
#include "viz/workers.hpp"
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

TEST_CASE("the figures equal the simulator's own statistics on every example line") {
  for (const char* name : kExamples) {
    CAPTURE(name);
    scen::Scenario sc = load(name);
    sim::LineSim line(sc.line, sc.run, 0);
    LineFigures figures(sc.line);
    line.add_observer(&figures);
    // Stop half-way: the figures must agree for a run in progress too.
    const double mid = sc.run.warmup + sc.run.horizon / 2;
    line.run_until(mid);
    for (int pass = 0; pass < 2; ++pass) {
      const double now = line.now();
      const sim::RepResult r = line.result();
      const LineKpis k = figures.kpis(now);
      CHECK(k.throughput == doctest::Approx(r.throughput).epsilon(1e-9));
      CHECK(k.wip == doctest::Approx(r.wip).epsilon(1e-6));
      if (r.finished > 0) CHECK(k.lead_time == doctest::Approx(r.lead_time).epsilon(1e-9));
      CHECK(k.lost == doctest::Approx(r.lost).epsilon(1e-9));
      // Conservation: the items of the line's picture in buffers, machines and transports are
      // those the events counted in, and the buffers' lengths are those the events left.
      const sim::LineState state = line.state();
      uint64_t seen = state.transit.size();
      for (uint32_t s = 0; s < state.stations.size(); ++s) {
        const auto& st = state.stations[s];
        CAPTURE(s);
        seen += st.queue.size();
        for (const auto& m : st.machines) seen += sim::holds_item(m);
        // The state reports a machine waiting for workers as idle, its item at the front of the
        // buffer (it has not begun); so it does an item taken by a machine off its calendar, whose
        // start waits for work to resume, and the other items of a batch in process (one item per
        // machine). The events count all of them out of the buffer; only the first is told by a
        // machine's state.
        uint64_t unstarted = 0;
        bool untold = sc.line.stations[s].has_batch();
        for (uint32_t m = 0; m < st.machines.size(); ++m) {
          const MachineState fig = figures.stations()[s].machines[m].state;
          untold |= fig == MachineState::kOff;
          if (fig == MachineState::kWaiting) {
            ++unstarted;
            CHECK(shown_state(st.machines[m]) == MachineState::kStarved);
          } else {
            CHECK(shown_state(st.machines[m]) == fig);
          }
        }
        if (untold)
          CHECK(st.queue.size() >= figures.stations()[s].queue + unstarted);
        else
          CHECK(st.queue.size() == figures.stations()[s].queue + unstarted);
      }
      CHECK(seen == r.in_line);
      CHECK(k.in_line == r.in_line);
      for (uint32_t s = 0; s < sc.line.stations.size(); ++s) {
        const StationFractions f = figures.fractions(s, now);
        CHECK(f.busy == doctest::Approx(r.stations[s].utilization).epsilon(1e-6));
        CHECK(f.blocked == doctest::Approx(r.stations[s].blocked).epsilon(1e-6));
        CHECK(f.starved == doctest::Approx(r.stations[s].starved).epsilon(1e-6));
        CHECK(f.down == doctest::Approx(r.stations[s].down).epsilon(1e-6));
        CHECK(f.setup == doctest::Approx(r.stations[s].setup).epsilon(1e-6));
        CHECK(f.waiting == doctest::Approx(r.stations[s].waiting).epsilon(1e-6));
        CHECK(f.maintenance == doctest::Approx(r.stations[s].maintenance).epsilon(1e-6));
        CHECK(f.off == doctest::Approx(r.stations[s].off).epsilon(1e-6));
        CHECK(f.queue == doctest::Approx(r.stations[s].queue).epsilon(1e-6));
        CHECK(f.busy + f.setup + f.waiting + f.blocked + f.starved + f.down + f.maintenance + f.off ==
              doctest::Approx(1.0));
      }
      line.run();
      CHECK(figures.over());
    }
  }
}

TEST_CASE("the running line's picture follows each step and its buffers never exceed their places") {
  scen::Scenario sc = load("scenarios/bottling_line.yaml");
  LiveLine live(sc);
  for (double t = 600; t < 20000; t += 611) {
    live.advance_to(t);
    const sim::LineState& state = live.state();
    CHECK(state.t == live.now());
    for (uint32_t s = 0; s < sc.line.stations.size(); ++s) {
      const auto& st = state.stations[s];
      CHECK(st.queue.size() <= sc.line.stations[s].buffer);
      for (uint32_t m = 0; m < st.machines.size(); ++m)
        CHECK(shown_state(st.machines[m].status) == live.figures().stations()[s].machines[m].state);
    }
    std::vector<uint32_t> in_transport(sc.line.transports.size(), 0);
    for (const auto& i : state.transit) ++in_transport[i.transport];
    for (uint32_t t2 = 0; t2 < sc.line.transports.size(); ++t2) CHECK(in_transport[t2] <= sc.line.transports[t2].capacity);
  }
  CHECK(live.history().size() > 10);
  CHECK(live.history().size() <= LiveLine::kMaxSamples + 2);
}

TEST_CASE("layers follow the routes and a rework loop does not break them") {
  scen::Scenario sc = load("scenarios/machining_cell.yaml");
  auto layer = flow_layers(sc.line);
  // saw, lathe, mill, washer, inspection: the flange goes saw > lathe > mill > washer > inspection.
  CHECK(layer == std::vector<uint32_t>{0, 1, 2, 3, 4});
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
  build_scene(l, live.state(), live.travel_mean(), 2, f);
  CHECK(f.items_drawn == live.figures().kpis(live.now()).in_line);
  // Machine boxes carry their state's colour.
  std::set<std::array<float, 3>> colors;
  for (const auto& b : f.boxes) colors.insert({b.color[0], b.color[1], b.color[2]});
  int machine_colored = 0;
  for (const auto& st : live.state().stations)
    for (const auto& m : st.machines) machine_colored += colors.count(state_color(shown_state(m.status))) > 0;
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

TEST_CASE("the scene draws the twin's mirror of a line as it draws the simulator's own state") {
  // One picture of a line for both: the twin's mirror, fed a run's trace, gives the scene the
  // boxes the run's own state gives it (positions along transports aside: the mirror does not
  // know the travel times the run drew).
  const std::string trace = std::filesystem::temp_directory_path() / "linetwin_test_viz_mirror.trace";
  for (const char* name : {"scenarios/assembly_line.yaml", "scenarios/bottling_line.yaml"}) {
    CAPTURE(name);
    scen::Scenario sc = load(name);
    sim::LineState truth;
    {
      std::ofstream out(trace, std::ios::binary);
      linetwin::live::TraceHeader h;
      h.scenario = sc.line.name;
      h.time_unit = linetwin::unit_name(sc.line.time_unit);
      linetwin::live::TraceWriter w(out, sc.line, h);
      sim::LineSim run(sc.line, sc.run, 0);
      run.add_observer(&w);
      run.run_until(sc.run.warmup + 0.3 * sc.run.horizon);
      truth = run.state();
    }
    linetwin::live::Mirror mirror(sc.line, false, true);
    auto reader = linetwin::live::TraceReader::open(trace);
    REQUIRE(reader.ok());
    linetwin::live::PlantEvent e;
    while (*(*reader)->next(e)) REQUIRE(mirror.apply(e) == linetwin::live::Fit::kApplied);
    const LineLayout l = make_layout(sc.line, sc.layout);
    std::vector<double> travel;
    for (const auto& t : sc.line.transports) travel.push_back(t.time.mean());
    SceneFrame from_run, from_twin;
    build_scene(l, truth, travel, -1, from_run);
    build_scene(l, mirror.line_state(), travel, -1, from_twin);
    CHECK(from_run.items_drawn > 0);
    CHECK(from_twin.items_drawn == from_run.items_drawn);
    std::multiset<std::array<float, 3>> a, b;
    for (const auto& x : from_run.boxes) a.insert({x.color[0], x.color[1], x.color[2]});
    for (const auto& x : from_twin.boxes) b.insert({x.color[0], x.color[1], x.color[2]});
    CHECK(a == b);
  }
  std::filesystem::remove(trace);
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

TEST_CASE("workers walk to the machines whose operations, repairs and maintenance need them, and back") {
  scen::Scenario sc = load("scenarios/assembly_line.yaml");
  const LineLayout l = make_layout(sc.line, sc.layout);
  WorkerCrowd crowd;
  crowd.reset(sc.line, l);
  uint32_t people = 0;
  for (const auto& w : sc.line.workers) people += w.count;
  REQUIRE(crowd.figures().size() == people);
  sim::LineSim line(sc.line, sc.run, 0);
  int served_seen = 0;
  for (double t = 3600; t < 3 * 86400; t += 1733) {
    CAPTURE(t);
    line.run_until(t);
    const sim::LineState state = line.state();
    // What the state needs of each pool, counted from the machines as the contract states it.
    std::vector<uint32_t> needed(sc.line.workers.size(), 0);
    for (uint32_t s = 0; s < state.stations.size(); ++s)
      for (const auto& m : state.stations[s].machines) {
        if (m.off) continue;
        const auto& sd = sc.line.stations[s];
        if (m.status == sim::MachineStatus::kBusy || m.status == sim::MachineStatus::kSetup)
          for (const auto& n : sd.needs) needed[n.pool] += n.count;
        if (m.status == sim::MachineStatus::kDown && sd.failures.repair_by != sim::kNoPool) ++needed[sd.failures.repair_by];
        if (m.status == sim::MachineStatus::kMaintenance && sd.maintenance.by != sim::kNoPool) ++needed[sd.maintenance.by];
      }
    const std::vector<WorkerFigure> before = crowd.figures();
    crowd.update(sc.line, l, state, 0.5f);
    std::vector<uint32_t> serving(sc.line.workers.size(), 0);
    for (size_t i = 0; i < crowd.figures().size(); ++i) {
      const WorkerFigure& f = crowd.figures()[i];
      CHECK(glm::distance(f.at, before[i].at) <= 0.5f + 1e-4f);  // walking, not jumping
      serving[f.pool] += f.serves != WorkerFigure::kFree;
    }
    for (size_t p = 0; p < needed.size(); ++p) {
      CAPTURE(p);
      CHECK(serving[p] == std::min(needed[p], sc.line.workers[p].count));
      served_seen += int(serving[p]);
    }
    // Put in place at once, every figure that serves stands beside a machine of a station.
    crowd.update(sc.line, l, state, std::numeric_limits<float>::infinity());
    for (const auto& f : crowd.figures()) {
      CHECK(f.at == f.to);
      if (f.serves == WorkerFigure::kFree) continue;
      float nearest = 1e9f;
      for (const auto& g : l.stations)
        for (const auto& m : g.machines) nearest = std::min(nearest, glm::distance(glm::vec3{m.x, 0, m.z}, f.at));
      CHECK(nearest < kMachineSize + 1.0f);
    }
  }
  CHECK(served_seen > 10);
  SceneFrame frame;
  crowd.draw(frame);
  CHECK(frame.boxes.size() == 2 * people);  // a body and a head each
}
