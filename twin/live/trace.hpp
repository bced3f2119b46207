// Traces: every event of one simulated replication, written as JSON lines (docs/trace_format.md),
// and read back for `replay` and `calibrate`. A trace is what a plant would have published.
// Not the simulator's own event stream: only what a plant can see (arrive, start, finish, leave,
// fail, repair, lost), in seconds.
#pragma once
#include <cstdint>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "sim/line_def.hpp"
#include "sim/observer.hpp"
#include "core/result.hpp"
#include "twin/live/plant_event.hpp"

namespace linetwin::live {


/// The first line of a trace.
struct TraceHeader {
  int version = 1;
  std::string scenario;
  std::string time_unit;          // the scenario's; times in the trace are seconds all the same
  uint64_t seed = 0;
  uint32_t replication = 0;
  std::vector<std::string> stations, products;
};

/// Writes a simulation's plant-visible events to `out` as JSON lines, header first.
class TraceWriter final : public sim::Observer {
 public:
  TraceWriter(std::ostream& out, const sim::LineDef& line, const TraceHeader& header);
  void on_event(const sim::LineEvent& e) override;
  /// Events written so far.
  uint64_t written() const { return written_; }

 private:
  std::ostream& out_;
  const sim::LineDef& line_;
  double seconds_;
  uint64_t written_ = 0;
  std::string buf_;
};

/// The header's JSON line.
std::string header_line(const TraceHeader& header);

/// Reads a trace line by line; errors name the file and line.
class TraceReader {
 public:
  /// Opens `path` and reads its header; a file that does not start with one is refused at once.
  static Result<std::unique_ptr<TraceReader>> open(const std::string& path);
  const TraceHeader& header() const { return header_; }
  /// Reads the next event into `out`: true, false at the end, or why the line is refused.
  Result<bool> next(PlantEvent& out);
  /// The line last read (1-based).
  int line() const { return line_; }

 private:
  Result<bool> read_line(std::string& text);

  std::ifstream in_;
  std::vector<char> buf_;  // one line, up to the longest a trace may have
  std::string path_;
  int line_ = 0;
  double last_t_ = 0;
  TraceHeader header_;
};

}  // namespace linetwin::live
