#include "charts/gantt.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace linetwin::charts {
namespace {

std::string escaped(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string hsl(const Hsl& c) { return fmt::format("hsl({:.0f},{}%,{}%)", c.hue, c.saturation, c.lightness); }

constexpr double kTop = 50;       // the first row's top, under the title
constexpr size_t kLegendPerLine = 6;

}  // namespace

double tick_step(double end) {
  double step = std::pow(10.0, std::floor(std::log10(end / 10)));
  if (end / step > 25) step *= 2.5;
  if (end / step > 12) step *= 2;
  return step;
}

std::string gantt_svg(const GanttChart& c) {
  const GanttLayout& lay = c.layout;
  const double left = lay.label_width, row = lay.row_height;
  const double scale = c.end > 0 ? lay.chart_width / c.end : 1.0;
  const double axis = kTop + row * double(c.rows.size());  // the bottom of the last row
  const size_t legend_lines = (c.legend.size() + kLegendPerLine - 1) / kLegendPerLine;
  const double height = axis + 60 + (c.legend.empty() ? 0 : 10 + 16 * double(legend_lines));
  auto x_of = [&](double t) { return left + scale * t; };

  std::string o;
  auto out = std::back_inserter(o);
  fmt::format_to(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" "
                      "font-family=\"sans-serif\" font-size=\"12\">\n",
                 left + lay.chart_width + 40, height);
  o += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  fmt::format_to(out, "<text x=\"{:.0f}\" y=\"22\" font-size=\"16\">{}</text>\n", left, escaped(c.title));
  for (size_t r = 0; r < c.rows.size(); ++r)
    fmt::format_to(out, "<text x=\"10\" y=\"{:.1f}\">{}</text>\n", kTop + row * double(r) + row * 0.65, escaped(c.rows[r]));

  const double bar_height = row - 6;
  for (const GanttBar& b : c.bars) {
    // A bar of no length still shows as a sliver.
    const double x = x_of(b.start), w = std::max(0.5, scale * (b.end - b.start));
    const double y = kTop + row * double(b.row) + 3;
    fmt::format_to(out, "<rect x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.1f}\" fill=\"{}\" stroke=\"{}\" "
                        "stroke-width=\"{}\"><title>{}</title></rect>\n",
                   x, y, w, bar_height, hsl(b.fill), b.outlined ? "black" : "white", b.outlined ? "2.5" : "0.5",
                   escaped(b.tooltip));
    if (!b.label.empty() && w > 16)
      fmt::format_to(out, "<text x=\"{:.2f}\" y=\"{:.1f}\" font-size=\"10\">{}</text>\n", x + 3, y + bar_height * 0.7,
                     escaped(b.label));
  }

  if (c.end > 0) {
    const double step = tick_step(c.end);
    for (double t = 0; t <= c.end; t += step)
      fmt::format_to(out, "<line x1=\"{0:.2f}\" y1=\"{1:.0f}\" x2=\"{0:.2f}\" y2=\"{2:.0f}\" stroke=\"#bbb\"/>"
                          "<text x=\"{0:.2f}\" y=\"{3:.0f}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#666\">{4:.6g}</text>\n",
                     x_of(t), axis, axis + 5, axis + 16, t);
  }

  for (size_t i = 0; i < c.legend.size(); ++i) {
    const double x = left + 165.0 * double(i % kLegendPerLine), y = axis + 40 + 16.0 * double(i / kLegendPerLine);
    fmt::format_to(out, "<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
                        "<text x=\"{:.0f}\" y=\"{:.0f}\" font-size=\"11\">{}</text>\n",
                   x, y - 9, hsl(c.legend[i].colour), x + 14, y, escaped(c.legend[i].text));
  }
  for (const GanttMark& m : c.marks)
    fmt::format_to(out, "<line x1=\"{0:.2f}\" y1=\"{1:.0f}\" x2=\"{0:.2f}\" y2=\"{2:.0f}\" stroke=\"{3}\" "
                        "stroke-dasharray=\"4 3\"><title>{4}</title></line>\n",
                   x_of(m.at), kTop - 6, axis, hsl(m.colour), escaped(m.tooltip));

  const double xe = x_of(c.end);
  fmt::format_to(out, "<line x1=\"{0:.2f}\" y1=\"{1:.0f}\" x2=\"{0:.2f}\" y2=\"{2:.0f}\" stroke=\"red\" stroke-width=\"2\"/>\n",
                 xe, kTop - 8, axis + 4);
  if (!c.end_label.empty())
    fmt::format_to(out, "<text x=\"{:.2f}\" y=\"{:.0f}\" fill=\"red\" text-anchor=\"end\">{}</text>\n", xe, axis + 30,
                   escaped(c.end_label));
  if (!c.note.empty()) fmt::format_to(out, "<text x=\"{:.0f}\" y=\"{:.0f}\">{}</text>\n", left, axis + 46, escaped(c.note));
  o += "</svg>\n";
  return o;
}

}  // namespace linetwin::charts
