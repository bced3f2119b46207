// `linetwin view SCENARIO [--screenshot FILE.png] [--frames N] [--time T] [--speed X]
// [--select STATION] [--size WxH]` and the flags of run: a thin verb over viz/.
#include <cmath>
#include <cstdio>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "viz/viewer.hpp"

namespace linetwin::cli {

int cmd_view(const Args& args) {
  if (args.positional.size() != 1)
    return fail(Error::in("linetwin view", "expects one scenario file, e.g. 'linetwin view scenarios/bottling_line.yaml'"));
  auto sc = load_for_run(args, args.positional[0]);
  if (!sc) return fail(sc.error());

  viz::ViewerOptions opt;
  opt.scenario = *sc;
  opt.screenshot = args.value("screenshot").value_or("");
  if (args.has("frames") && opt.screenshot.empty())
    return fail(Error::in("--frames", "goes with --screenshot FILE.png (the window runs until it is closed)"));
  auto frames = uint_flag(args, "frames", 1, 1'000'000, 120);
  if (!frames) return fail(frames.error());
  opt.frames = uint32_t(*frames);
  const double end = sc->run.warmup + sc->run.horizon;
  if (auto t = args.value("time")) {
    auto v = parse_time(*t, sc->line.time_unit);
    if (!v || !(*v >= 0) || *v > end)
      return fail(Error::in("--time", "expected a simulated time from 0 to the end of the run (" + std::to_string(end) +
                                                " " + unit_name(sc->line.time_unit) + "), e.g. --time 2h, got '" + *t + "'"));
    opt.start_time = *v;
  } else if (!opt.screenshot.empty()) {
    // A screenshot shows the line in its steady state: after the warm-up, or a tenth of the way in.
    opt.start_time = sc->run.warmup > 0 ? sc->run.warmup : end / 10;
  }
  if (auto s = args.value("speed")) {
    char* rest = nullptr;
    const double v = std::strtod(s->c_str(), &rest);
    if (rest == s->c_str() || *rest || !(v >= 1) || v > 1e6)
      return fail(Error::in("--speed", "expected a multiple of real time from 1 to 1000000, got '" + *s + "'"));
    opt.speed = v;
  }
  if (auto name = args.value("select")) {
    bool known = false;
    for (const auto& st : sc->line.stations) known = known || st.name == *name;
    if (!known) return fail(Error::in("--select", "no station '" + *name + "' in " + sc->file));
    opt.select = *name;
  }
  if (auto size = args.value("size")) {
    int w = 0, h = 0;
    char tail = 0;
    if (std::sscanf(size->c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w < 320 || h < 240 || w > 4096 || h > 4096)
      return fail(Error::in("--size", "expected WIDTHxHEIGHT from 320x240 to 4096x4096, e.g. 1280x720, got '" + *size + "'"));
    opt.width = w;
    opt.height = h;
  }
  auto report = viz::run_viewer(opt);
  if (!report) return fail(report.error());
  if (!opt.screenshot.empty())
    std::fprintf(stderr, "linetwin view: wrote %s (%dx%d) after %u frames; %.1f frames/s over the last %u; simulated time %.6g %s\n",
                 opt.screenshot.c_str(), opt.width, opt.height, report->frames, report->frames_per_second,
                 report->frames > 0 ? report->frames - 1 : 0, report->sim_time, unit_name(sc->line.time_unit).c_str());
  return 0;
}

}  // namespace linetwin::cli
