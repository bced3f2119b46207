// The window's panels, in Dear ImGui. Left: the run (clock, play, pause, step, speed, restart),
// the line's KPIs so far with plots over time, the legend and the mouse controls. Right: the
// stations' state bars, the inspector of the selected station and the what-if edits (machines,
// buffer, process means, source rates) with restart and save. Labels name stations in the scene.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viz/view_state.hpp"
#include "viz/workers.hpp"
#include "viz/what_if.hpp"

namespace linetwin::viz {
namespace {

// The panels' backgrounds are cleared by the renderer (Renderer::fill), not drawn by ImGui: a
// software renderer clears a rectangle at a fraction of the cost of blending a textured one.
constexpr ImGuiWindowFlags kPanel = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                    ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground;

ImU32 color(const std::array<float, 3>& c, float alpha = 1) {
  return ImGui::ColorConvertFloat4ToU32(ImVec4(c[0], c[1], c[2], alpha));
}

// The fractions busy, blocked, starved, down as one stacked bar of the given width.
void state_bar(const StationFractions& f, float width, float height) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const double parts[] = {f.busy, f.setup, f.waiting, f.blocked, f.starved, f.down, f.maintenance, f.off};
  const MachineState states[] = {MachineState::kBusy,    MachineState::kSetup, MachineState::kWaiting,
                                 MachineState::kBlocked, MachineState::kStarved, MachineState::kDown,
                                 MachineState::kMaintenance, MachineState::kOff};
  float x = p.x;
  dl->AddRectFilled(p, ImVec2(p.x + width, p.y + height), IM_COL32(60, 60, 66, 255));
  for (int i = 0; i < 8; ++i) {
    const float w = float(std::clamp(parts[i], 0.0, 1.0)) * width;
    if (w > 0) dl->AddRectFilled(ImVec2(x, p.y), ImVec2(std::min(x + w, p.x + width), p.y + height), color(state_color(states[i])));
    x += w;
  }
  ImGui::Dummy(ImVec2(width, height));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("busy %.1f%%  setup %.1f%%  waiting %.1f%%  blocked %.1f%%  starved %.1f%%  down %.1f%%  "
                      "maintenance %.1f%%  off %.1f%%",
                      100 * f.busy, 100 * f.setup, 100 * f.waiting, 100 * f.blocked, 100 * f.starved, 100 * f.down,
                      100 * f.maintenance, 100 * f.off);
}

void swatch(const std::array<float, 3>& c, const char* text) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float s = ImGui::GetTextLineHeight();
  ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + s, p.y + s), color(c));
  ImGui::Dummy(ImVec2(s, s));
  ImGui::SameLine();
  ImGui::TextUnformatted(text);
}

void plot(const char* label, const std::vector<KpiSample>& h, float KpiSample::*field, const char* unit) {
  // At most kPlotPoints points: more cost drawing time and show nothing more at this width.
  constexpr std::size_t kPlotPoints = 200;
  std::vector<float> v;
  const std::size_t every = h.size() / kPlotPoints + 1;
  for (std::size_t i = 0; i < h.size(); i += every) v.push_back(h[i].*field);
  if (!h.empty() && (h.size() - 1) % every != 0) v.push_back(h.back().*field);
  const std::string overlay = fmt::format("{} {:.4g} {}", label, v.empty() ? 0.0 : double(v.back()), unit);
  float hi = 0;
  for (float x : v) hi = std::max(hi, x);
  ImGui::PlotLines((std::string("##") + label).c_str(), v.data(), int(v.size()), 0, overlay.c_str(), 0.0f,
                   hi > 0 ? hi * 1.1f : 1.0f, ImVec2(ImGui::GetContentRegionAvail().x, 54));
}

void run_panel(ViewState& st, float height) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(kLeftPanel, height));
  ImGui::Begin("Line", nullptr, kPanel);
  const auto& sc = st.live.scenario();
  ImGui::TextWrapped("%s", sc.line.name.c_str());
  const double now = st.live.now();
  const bool measuring = st.live.figures().measuring();
  ImGui::Text("Simulated time  %s", clock_text(now, st.unit_seconds).c_str());
  const char* progress = st.live.over() ? "run over" : measuring ? "measuring" : "warm-up";
  ImGui::ProgressBar(float(now / std::max(st.live.end(), 1e-12)), ImVec2(-1, 0), progress);
  if (ImGui::Button(st.playing ? "Pause" : "Play", ImVec2(70, 0))) st.playing = !st.playing;
  ImGui::SameLine();
  if (ImGui::Button("Step", ImVec2(70, 0))) {
    st.playing = false;
    st.live.advance_to(now + st.step);
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("advance %s of simulated time (the slowest station's mean process time)",
                      clock_text(st.step, st.unit_seconds).c_str());
  ImGui::SameLine();
  if (ImGui::Button("Restart", ImVec2(70, 0))) st.live.restart();
  ImGui::Checkbox("As fast as possible", &st.max_speed);
  ImGui::BeginDisabled(st.max_speed);
  ImGui::SliderFloat("speed", &st.speed, 1.0f, 100000.0f, "x%.0f real time", ImGuiSliderFlags_Logarithmic);
  ImGui::EndDisabled();

  ImGui::Separator();
  const LineKpis k = st.live.figures().kpis(now);
  ImGui::Text("Line KPIs %s", measuring ? "since the warm-up" : "so far (warm-up)");
  const std::string u = unit_name(sc.line.time_unit);
  if (ImGui::BeginTable("kpis", 2)) {
    auto row = [](const char* name, const std::string& value) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextUnformatted(name);
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(value.c_str());
    };
    row("throughput", fmt::format("{:.4g} /{} ({:.4g} /h)", k.throughput, u, k.throughput * 3600 / st.unit_seconds));
    row("WIP", fmt::format("{:.3g} items", k.wip));
    row("lead time", k.finished ? clock_text(k.lead_time, st.unit_seconds) : std::string("-"));
    row("finished", std::to_string(k.finished));
    row("lost", std::to_string(k.lost_count));
    row("in the line now", std::to_string(k.in_line));
    ImGui::EndTable();
  }
  const auto& h = st.live.history();
  ImGui::TextDisabled("over time (moving averages)");
  plot("throughput", h, &KpiSample::throughput, ("/" + u).c_str());
  plot("WIP", h, &KpiSample::wip, "items");  // in the line at each moment
  plot("lead time", h, &KpiSample::lead_time, u.c_str());

  ImGui::Separator();
  ImGui::TextUnformatted("Machines");
  const bool setups = sc.line.has_setups(), waits = sc.line.has_workers(), maint = sc.line.has_maintenance(),
             cal = sc.line.has_calendars();
  int shown = 0;
  for (MachineState s : {MachineState::kBusy, MachineState::kStarved, MachineState::kBlocked, MachineState::kDown,
                         MachineState::kSetup, MachineState::kWaiting, MachineState::kMaintenance, MachineState::kOff}) {
    // Only the states this line reaches, four to a row.
    if ((s == MachineState::kSetup && !setups) || (s == MachineState::kWaiting && !waits) ||
        (s == MachineState::kMaintenance && !maint) || (s == MachineState::kOff && !cal))
      continue;
    if (shown++ % 4 != 0) ImGui::SameLine(0, 14);
    swatch(state_color(s), state_name(s));
  }
  ImGui::TextUnformatted("Items");
  for (std::size_t p = 0; p < sc.line.products.size() && p < 8; ++p) {
    swatch(product_color(uint32_t(p)), sc.line.products[p].name.c_str());
    if (p % 3 != 2 && p + 1 < sc.line.products.size()) ImGui::SameLine(0, 14);
  }
  if (!sc.line.workers.empty()) {  // the figures walking to the machines they serve
    ImGui::TextUnformatted("Workers");
    for (std::size_t p = 0; p < sc.line.workers.size() && p < 8; ++p) {
      swatch(pool_color(uint32_t(p)), sc.line.workers[p].name.c_str());
      if (p % 3 != 2 && p + 1 < sc.line.workers.size()) ImGui::SameLine(0, 14);
    }
  }
  ImGui::Separator();
  ImGui::TextDisabled("drag: orbit   right drag: pan   wheel: zoom");
  ImGui::TextDisabled("click a station: inspect and change it");
  ImGui::End();
}

void inspector(ViewState& st, uint32_t s) {
  const auto& sc = st.live.scenario();
  const auto& def = sc.line.stations[s];
  const sim::PlacedStation& m = st.live.state().stations[s];
  const StationFractions f = st.live.figures().fractions(s, st.live.now());
  ImGui::Text("Station %s", def.name.c_str());
  for (std::size_t i = 0; i < m.machines.size() && i < 12; ++i) {
    const sim::PlacedMachine& pm = m.machines[i];
    const MachineState shown = shown_state(pm);
    swatch(state_color(shown), "");
    ImGui::SameLine();
    if (sim::holds_item(pm))
      ImGui::Text("machine %zu: %s, item %llu (%s)", i + 1, state_name(shown),
                  static_cast<unsigned long long>(pm.item.id), sc.line.products[pm.item.product].name.c_str());
    else
      ImGui::Text("machine %zu: %s", i + 1, state_name(shown));
  }
  if (def.buffer == sim::kUnlimited)
    ImGui::Text("buffer: %zu waiting (unlimited)", m.queue.size());
  else
    ImGui::Text("buffer: %zu of %u places", m.queue.size(), def.buffer);
  ImGui::Text("busy %.1f%%  blocked %.1f%%  starved %.1f%%", 100 * f.busy, 100 * f.blocked, 100 * f.starved);
  ImGui::Text("down %.1f%%  mean queue %.3g", 100 * f.down, f.queue);
  if (f.setup > 0 || f.waiting > 0 || f.maintenance > 0 || f.off > 0)
    ImGui::Text("setup %.1f%%  waiting %.1f%%  maintenance %.1f%%  off %.1f%%", 100 * f.setup, 100 * f.waiting,
                100 * f.maintenance, 100 * f.off);
  if (def.has_failures)
    ImGui::TextWrapped("failures: every %s of work, %s to repair", clock_text(def.failures.ttf.mean(), st.unit_seconds).c_str(),
                clock_text(def.failures.ttr.mean(), st.unit_seconds).c_str());
}

void what_if(ViewState& st, uint32_t s) {
  auto& def = st.draft.line.stations[s];
  ImGui::PushID(int(s));
  int machines = int(def.machines);
  if (ImGui::InputInt("machines", &machines) && machines >= 1 && machines <= 100) {
    def.machines = uint32_t(machines);
    st.draft_changed = true;
  }
  bool unlimited = def.buffer == sim::kUnlimited;
  int buffer = unlimited ? 0 : int(std::min<uint32_t>(def.buffer, 1000000));
  ImGui::BeginDisabled(unlimited);
  if (ImGui::InputInt("buffer", &buffer) && buffer >= 0) {
    def.buffer = uint32_t(buffer);
    st.draft_changed = true;
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Checkbox("inf", &unlimited)) {
    def.buffer = unlimited ? sim::kUnlimited : 10;
    st.draft_changed = true;
  }
  const auto products = products_at(st.draft, s);
  for (uint32_t p : products) {
    double mean = def.process[p].mean();
    const std::string label = products.size() > 1 ? "mean " + st.draft.line.products[p].name : std::string("mean process");
    if (ImGui::InputDouble(label.c_str(), &mean, 0, 0, ("%.4g " + unit_name(st.draft.line.time_unit)).c_str(),
                           ImGuiInputTextFlags_EnterReturnsTrue) && mean > 0 && std::isfinite(mean)) {
      // One time for all products stays one time for all.
      bool shared = true;
      for (const auto& d : def.process) shared = shared && d == def.process[p];
      if (shared)
        for (uint32_t q = 0; q < def.process.size(); ++q) set_process_mean(st.draft, s, q, mean);
      else
        set_process_mean(st.draft, s, p, mean);
      st.draft_changed = true;
    }
  }
  ImGui::PopID();
}

void sources(ViewState& st) {
  const std::string u = unit_name(st.draft.line.time_unit);
  for (uint32_t i = 0; i < st.draft.line.sources.size(); ++i) {
    auto& src = st.draft.line.sources[i];
    ImGui::PushID(int(1000000 + i));
    if (src.saturated) {
      ImGui::Text("source %s: saturated", src.name.c_str());
    } else {
      double rate = 1 / src.interarrival.mean();
      if (ImGui::InputDouble(("rate " + src.name).c_str(), &rate, 0, 0, ("%.4g /" + u).c_str(), ImGuiInputTextFlags_EnterReturnsTrue) &&
          rate > 0 && std::isfinite(rate)) {
        set_source_rate(st.draft, i, rate);
        st.draft_changed = true;
      }
    }
    ImGui::PopID();
  }
}

void stations_panel(ViewState& st, float width, float height) {
  ImGui::SetNextWindowPos(ImVec2(width - kRightPanel, 0));
  ImGui::SetNextWindowSize(ImVec2(kRightPanel, height));
  ImGui::Begin("Stations", nullptr, kPanel);
  const auto& sc = st.live.scenario();
  const double now = st.live.now();
  const float list_height = std::min(height * 0.4f, (ImGui::GetTextLineHeightWithSpacing() + 4) * float(sc.line.stations.size() + 1) + 8);
  if (ImGui::BeginTable("stations", 3, ImGuiTableFlags_ScrollY, ImVec2(-1, list_height))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("station", ImGuiTableColumnFlags_WidthFixed, 110);
    ImGui::TableSetupColumn("busy | blocked | starved | down", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("queue", ImGuiTableColumnFlags_WidthFixed, 44);
    ImGui::TableHeadersRow();
    for (uint32_t s = 0; s < sc.line.stations.size(); ++s) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      if (ImGui::Selectable(sc.line.stations[s].name.c_str(), st.selected == long(s))) st.selected = long(s);
      ImGui::TableSetColumnIndex(1);
      state_bar(st.live.figures().fractions(s, now), ImGui::GetContentRegionAvail().x, ImGui::GetTextLineHeight());
      ImGui::TableSetColumnIndex(2);
      ImGui::Text("%zu", st.live.state().stations[s].queue.size());
    }
    ImGui::EndTable();
  }
  ImGui::Separator();
  if (st.selected >= 0 && st.selected < long(sc.line.stations.size())) {
    inspector(st, uint32_t(st.selected));
    ImGui::Separator();
    ImGui::Text("What if ... (%s)", st.draft.line.stations[st.selected].name.c_str());
    what_if(st, uint32_t(st.selected));
  } else {
    ImGui::TextWrapped("Click a station in the scene or in the list to inspect it and change it.");
    ImGui::Separator();
    ImGui::TextUnformatted("What if ...");
  }
  sources(st);
  ImGui::BeginDisabled(!st.draft_changed);
  if (ImGui::Button("Restart with changes")) {
    auto r = checked(st.draft);
    if (r) {
      st.live.replace(*r);
      st.draft = *r;
      st.draft_changed = false;
      st.needs_relayout = true;
      st.message = "Restarted with the changes.";
      st.message_is_error = false;
    } else {
      st.message = r.error().message();
      st.message_is_error = true;
    }
  }
  ImGui::SameLine();
  if (ImGui::Button("Discard")) {
    st.draft = st.live.scenario();
    st.draft_changed = false;
  }
  ImGui::EndDisabled();
  ImGui::InputText("##path", st.save_path, sizeof st.save_path);
  ImGui::SameLine();
  if (ImGui::Button("Save YAML")) {
    auto r = save_scenario(st.draft, st.save_path);
    st.message_is_error = !r;
    st.message = r ? std::string("Saved; run it with: linetwin run ") + st.save_path : r.error().message();
  }
  if (!st.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, st.message_is_error ? ImVec4(1, 0.45f, 0.4f, 1) : ImVec4(0.6f, 0.95f, 0.6f, 1));
    ImGui::TextWrapped("%s", st.message.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::End();
}

}  // namespace

std::string clock_text(double t, double unit_seconds) {
  double secs = t * unit_seconds;
  if (!std::isfinite(secs)) return "-";
  if (secs < 60) return fmt::format("{:.1f} s", secs);
  const long long total = static_cast<long long>(secs);
  const long long d = total / 86400, h = total / 3600 % 24, m = total / 60 % 60, s = total % 60;
  if (d > 0) return fmt::format("{}d {:02}:{:02}:{:02}", d, h, m, s);
  return fmt::format("{:02}:{:02}:{:02}", h, m, s);
}

void draw_panels(ViewState& st, float width, float height) {
  run_panel(st, height);
  stations_panel(st, width, height);
}

void draw_labels(const ViewState& st, const glm::mat4& vp, float x, float y, float w, float h) {
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  std::vector<ImVec4> taken;
  const auto& line = st.live.scenario().line;
  for (std::size_t s = 0; s < st.layout.stations.size(); ++s) {
    const glm::vec3 p = st.layout.stations[s].center + glm::vec3{0, kMachineHeight + 0.9f, 0};
    if ((vp * glm::vec4(p, 1.0f)).w <= 0) continue;  // behind the eye
    const glm::vec3 ndc = to_ndc(vp, p);
    if (std::abs(ndc.x) > 1 || std::abs(ndc.y) > 1) continue;
    const float sx = x + (ndc.x + 1) / 2 * w, sy = y + (1 - ndc.y) / 2 * h;
    std::string text = line.stations[s].name;
    const std::size_t waiting = st.live.state().stations[s].queue.size();
    if (waiting > kMaxDrawnPerBuffer) text += " (" + std::to_string(waiting) + " waiting)";
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    const ImVec4 r(sx - size.x / 2 - 4, sy - size.y - 2, sx + size.x / 2 + 4, sy + 2);
    bool overlaps = false;
    for (const auto& o : taken) overlaps = overlaps || (r.x < o.z && o.x < r.z && r.y < o.w && o.y < r.w);
    if (overlaps && long(s) != st.selected) continue;
    taken.push_back(r);
    dl->AddRectFilled(ImVec2(r.x, r.y), ImVec2(r.z, r.w), long(s) == st.selected ? IM_COL32(120, 100, 20, 220) : IM_COL32(20, 24, 30, 170), 3);
    dl->AddText(ImVec2(r.x + 4, r.y + 1), IM_COL32(240, 240, 240, 255), text.c_str());
  }
}

}  // namespace linetwin::viz
