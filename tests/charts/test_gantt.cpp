// The Gantt chart writer against what a chart must be: ticks at round numbers, bars where their
// times put them, text escaped, every element it was given, and nothing when there is nothing.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "charts/gantt.hpp"

using namespace linetwin::charts;

namespace {

size_t count(const std::string& s, const std::string& part) {
  size_t n = 0;
  for (size_t p = s.find(part); p != std::string::npos; p = s.find(part, p + 1)) ++n;
  return n;
}

GanttChart two_rows() {
  GanttChart c;
  c.title = "two rows";
  c.rows = {"first", "second"};
  c.bars.push_back({0, 0, 50, {0, 65, 62}, false, "a", "bar a"});
  c.bars.push_back({1, 50, 100, {180, 65, 74}, true, "b", "bar b"});
  c.end = 100;
  return c;
}

}  // namespace

TEST_CASE("Ticks fall on round numbers, about ten of them, for any length of axis") {
  CHECK(tick_step(55) == 5);
  CHECK(tick_step(100) == 10);
  CHECK(tick_step(938) == 50);
  CHECK(tick_step(246.833) == 20);
  for (double end = 0.013; end < 1e9; end *= 1.37) {
    CAPTURE(end);
    const double step = tick_step(end);
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    const bool round = std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 2.5) < 1e-9 ||
                       std::abs(mantissa - 5) < 1e-9;
    CHECK(round);
    CHECK(end / step > 6);
    CHECK(end / step <= 20);
  }
}

TEST_CASE("Bars stand where their times put them, outlined when asked, labelled when wide enough") {
  GanttChart c = two_rows();
  c.bars.push_back({0, 60, 60, {90, 65, 62}, false, "too narrow", "no length"});
  const std::string svg = gantt_svg(c);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1130\" height=\"166\"", 0) == 0);
  CHECK(svg.substr(svg.size() - 7) == "</svg>\n");
  // Time 0 is at the labels' width, the end 1000 pixels to the right; row r starts 50 + 28 r down.
  CHECK(count(svg, "<rect x=\"90.00\" y=\"53.0\" width=\"500.00\" height=\"22.0\" fill=\"hsl(0,65%,62%)\" stroke=\"white\" stroke-width=\"0.5\"><title>bar a</title></rect>") == 1);
  CHECK(count(svg, "<rect x=\"590.00\" y=\"81.0\" width=\"500.00\" height=\"22.0\" fill=\"hsl(180,65%,74%)\" stroke=\"black\" stroke-width=\"2.5\">") == 1);
  CHECK(count(svg, "width=\"0.50\"") == 1);  // a bar of no length still shows
  CHECK(count(svg, ">a</text>") == 1);
  CHECK(count(svg, ">b</text>") == 1);
  CHECK(count(svg, "too narrow") == 0);
  CHECK(count(svg, "stroke=\"red\"") == 1);  // the end
  CHECK(count(svg, "<line x1=\"1090.00\"") == 2);  // the end, and the tick at 100
  CHECK(count(svg, "stroke=\"#bbb\"") == 11);    // ticks at 0, 10, ..., 100
  CHECK(count(svg, ">first</text>") == 1);
  CHECK(count(svg, ">second</text>") == 1);
}

TEST_CASE("Text is escaped, and marks, legend, end label and note appear only when given") {
  GanttChart c = two_rows();
  const std::string plain = gantt_svg(c);
  CHECK(count(plain, "stroke-dasharray") == 0);
  CHECK(count(plain, "font-size=\"11\"") == 0);
  CHECK(count(plain, "text-anchor=\"end\"") == 0);

  c.title = "a <b> & \"c\"";
  c.rows[0] = "<row>";
  c.marks.push_back({75, {0, 65, 40}, "due: x&y"});
  for (int i = 0; i < 7; ++i) c.legend.push_back({{double(i) * 50, 65, 66}, "order " + std::to_string(i)});
  c.end_label = "makespan 100";
  c.note = "a note";
  const std::string svg = gantt_svg(c);
  CHECK(count(svg, "a &lt;b&gt; &amp; &quot;c&quot;") == 1);
  CHECK(count(svg, "&lt;row&gt;") == 1);
  CHECK(count(svg, "<row>") == 0);
  CHECK(count(svg, "<line x1=\"840.00\" y1=\"44\" x2=\"840.00\" y2=\"106\" stroke=\"hsl(0,65%,40%)\" stroke-dasharray=\"4 3\"><title>due: x&amp;y</title></line>") == 1);
  CHECK(count(svg, "font-size=\"11\">order ") == 7);
  CHECK(count(svg, ">makespan 100</text>") == 1);
  CHECK(count(svg, ">a note</text>") == 1);
  // Two lines of legend, six entries to a line, make the picture taller.
  CHECK(count(svg, "height=\"208\"") == 1);
}

TEST_CASE("An empty chart is still a whole picture") {
  const std::string svg = gantt_svg(GanttChart{});
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.substr(svg.size() - 7) == "</svg>\n");
  CHECK(count(svg, "stroke=\"#bbb\"") == 0);  // no axis of no length
}
