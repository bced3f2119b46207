// Gantt charts as SVG: labelled rows of coloured bars along a time axis with ticks at round
// numbers, a red line at the end (the makespan), optional dashed marks (due dates), a legend and a
// note. What the rows and bars mean is the caller's: app/schedule_charts.cpp fills a chart from a
// job-shop schedule or from a plan of orders on the line. Not here: any scheduling.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace linetwin::charts {

/// A colour: hue in degrees, saturation and lightness in percent.
struct Hsl {
  double hue = 0;
  int saturation = 65;
  int lightness = 66;
};

/// One bar: a span of time on a row.
struct GanttBar {
  std::size_t row = 0;
  double start = 0, end = 0;
  Hsl fill;
  bool outlined = false;  // a black outline (a critical path); otherwise a thin white one
  std::string label;      // written on the bar where it is wide enough; "" for none
  std::string tooltip;    // shown when the pointer rests on the bar
};

/// A dashed line across the rows at a time (a due date).
struct GanttMark {
  double at = 0;
  Hsl colour;
  std::string tooltip;
};

/// One entry of the legend under the axis (six to a line).
struct GanttLegendEntry {
  Hsl colour;
  std::string text;
};

/// Sizes in SVG pixels.
struct GanttLayout {
  double label_width = 90;  // left of the bars, for the row labels
  double row_height = 28;
  double chart_width = 1000;  // from time 0 to the end
};

/// A Gantt chart: its title, rows top to bottom, and what is drawn on them. Text is plain text
/// (the writer escapes it).
struct GanttChart {
  std::string title;
  std::vector<std::string> rows;
  std::vector<GanttBar> bars;
  double end = 0;          // the last time on the axis, marked by the red line
  std::string end_label;   // written under the red line; "" for none
  std::vector<GanttMark> marks;
  std::vector<GanttLegendEntry> legend;
  std::string note;        // a line under the chart; "" for none
  GanttLayout layout;
};

/// The spacing of about ten ticks at round numbers (1, 2, 2.5 or 5 times a power of ten) on an
/// axis from 0 to `end` > 0.
double tick_step(double end);

/// The chart as a whole SVG document.
std::string gantt_svg(const GanttChart& chart);

}  // namespace linetwin::charts
