// The run goes in steps of simulated time. History: a sample every end/kMaxSamples of simulated
// time, so a whole run fits the plots; "as fast as possible" adapts its step so that one call
// takes about the wall time asked for.
#include "viz/live_line.hpp"

#include <chrono>

namespace linetwin::viz {

LiveLine::LiveLine(scenarios::Scenario scenario) : scenario_(std::move(scenario)) { start(); }

void LiveLine::start() {
  sim_.reset();
  figures_ = std::make_unique<LineFigures>(scenario_.line);
  sim_ = std::make_unique<sim::LineSim>(scenario_.line, scenario_.run, 0);
  sim_->add_observer(figures_.get());
  state_stale_ = true;
  history_.clear();
  travel_mean_.clear();
  for (const auto& t : scenario_.line.transports) travel_mean_.push_back(t.time.mean());
  sample_every_ = end() / double(kMaxSamples);
  next_sample_ = 0;
  over_ = false;
  double slowest = 0;
  for (const auto& st : scenario_.line.stations)
    for (const auto& d : st.process) slowest = std::max(slowest, d.mean());
  chunk_ = std::max(slowest, end() * 1e-6);
  sample();
}

void LiveLine::restart() { start(); }

void LiveLine::replace(scenarios::Scenario scenario) {
  sim_.reset();  // it refers to the old line definition
  scenario_ = std::move(scenario);
  start();
}

void LiveLine::sample() {
  const double t = now();
  if (t < next_sample_ && !over_) return;
  const LineKpis k = figures_->kpis(t);
  KpiSample s{float(t), 0, float(k.in_line), 0, k.finished_total, k.lead_total};
  if (!history_.empty()) {
    const KpiSample& from = history_[history_.size() >= kPlotWindow ? history_.size() - kPlotWindow : 0];
    const double span = t - double(from.t);
    const uint64_t done = s.finished_total - from.finished_total;
    s.throughput = span > 0 ? float(double(done) / span) : 0;
    s.lead_time = done ? float((s.lead_total - from.lead_total) / double(done)) : history_.back().lead_time;
  }
  history_.push_back(s);
  next_sample_ = t + sample_every_;
}

const sim::LineState& LiveLine::state() const {
  if (state_stale_) {
    state_ = sim_->state();
    state_stale_ = false;
  }
  return state_;
}

void LiveLine::advance_to(double t) {
  if (over_) return;
  state_stale_ = true;
  // Step through sample times so that the plots see the run evenly, however large the jump.
  while (!over_ && now() < t) {
    const double stop = std::min(t, std::max(next_sample_, now()));
    if (!sim_->run_until(stop)) over_ = true;
    sample();
    if (stop >= t) break;
  }
}

void LiveLine::advance_for(double wall_seconds) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  while (!over_) {
    const auto before = Clock::now();
    advance_to(now() + chunk_);
    const double took = std::chrono::duration<double>(Clock::now() - before).count();
    if (took < wall_seconds / 8) chunk_ *= 2;
    else if (took > wall_seconds / 2) chunk_ /= 2;
    if (std::chrono::duration<double>(Clock::now() - start).count() >= wall_seconds) break;
  }
}

}  // namespace linetwin::viz
