// The mirror: the twin's picture of the real line, kept up to date event by event: the items in
// each buffer, on each machine and between stations, each machine's state, WIP, items finished,
// and what the line's times have been (process, failure and repair times) next to the model's.
// Not a simulator and not a network client: it is fed PlantEvents and read by the twin.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/line_def.hpp"
#include "sim/line_state.hpp"
#include "twin/live/plant_event.hpp"

namespace linetwin::live {

/// A running mean and variance (Welford), so that a twin running for weeks keeps no samples.
struct Moments {
  uint64_t n = 0;
  double mean = 0, m2 = 0;
  /// Adds one observation.
  void add(double x);
  /// The sample standard deviation (0 for fewer than two).
  double sd() const;
};

/// How one event fitted the mirror. Unknown events change nothing; out-of-order ones (earlier than
/// the mirror's clock, or not what the mirrored state expects) are applied as far as they can be.
enum class Fit : uint8_t { kApplied, kOutOfOrder, kUnknown };

/// Where the real line departs from the model: one kind of time of one station.
struct Deviation {
  uint32_t station = 0;
  std::string what;             // "process", "process A" (per product), "failure" (busy time between), "repair"
  Moments observed;             // in the scenario's time unit
  double model_mean = 0, model_sd = 0;
  bool flagged = false;         // far outside what the model makes likely
  /// One sentence for people ("m2 processes 31% slower than its scenario says ...").
  std::string message(const sim::LineDef& line) const;
};

/// Keeps a mirror of `line` from plant events.
class Mirror {
 public:
  enum class Place : uint8_t { kBuffer, kMachine, kTransit };
  // held: a finished item still on the machine; setup: a changeover for the item it holds
  enum class Mode : uint8_t { kIdle, kBusy, kHeld, kSetup };
  struct Item {
    uint32_t product = 0;
    uint32_t step = 0;          // route step it is at (in transit: the step it left)
    Place place = Place::kBuffer;
    uint32_t station = 0;
    double released = 0;        // seconds
    bool reworked = false;      // sent back: on its way to the station of route step `step`
  };
  struct Machine {
    std::string item;
    Mode mode = Mode::kIdle;
    bool down = false;
    double start = 0, down_on_item = 0, busy_from = 0, busy_acc = 0, down_since = 0;  // seconds
    bool timed = false;         // its start was seen, so its process time can be measured
    bool ttf_valid = false;     // busy_acc counts from a repair (or the start of the trace)
    double setup_from = 0;      // seconds, in setup
    bool setup_timed = false;   // in setup since its start, not paused off shift: its length counts
    bool maintaining = false;   // in preventive maintenance (it holds no item)
    bool off = false;           // off its calendar (between the plant's off and on)
    double maintain_from = 0;   // seconds, in maintenance
    int last_product = -1;      // the product of its last operation (-1: none seen)
  };
  struct Station {
    std::vector<std::string> buffer;             // front first
    std::vector<Machine> machines;
    std::vector<Moments> process;                // per product, scenario time unit
    Moments ttf, ttr;
    std::vector<std::vector<double>> process_samples;  // per product, when samples are kept
    std::vector<double> ttf_samples, ttr_samples;
    // Changeover times by pair (from * products + to), when samples are kept and the station
    // changes over: from the setup event to the operation's start.
    std::vector<std::vector<double>> setup_samples;
  };

  /// `keep_samples` keeps every observed time (for calibration); `from_start` says the events
  /// begin with an empty line at time 0, so that the first busy time to a failure counts.
  explicit Mirror(const sim::LineDef& line, bool keep_samples = false, bool from_start = false);

  /// Applies one event; `why` says what did not fit.
  Fit apply(const PlantEvent& e, std::string* why = nullptr);

  /// The latest event time, seconds.
  double now() const { return clock_; }
  uint64_t wip() const { return items_.size(); }
  uint64_t finished() const { return finished_; }
  uint64_t lost() const { return lost_; }
  uint64_t scrapped() const { return scrapped_; }
  const std::vector<Station>& stations() const { return stations_; }
  const std::vector<std::string>& transit() const { return transit_; }
  /// The item with id `id`, or nullptr.
  const Item* item(const std::string& id) const;
  const sim::LineDef& line() const { return line_; }
  /// Lead times of finished items and gaps between arrivals at the line, scenario time unit.
  const Moments& lead_time() const { return lead_; }
  const std::vector<double>& interarrival_samples() const { return gap_samples_; }
  const Moments& interarrival() const { return gaps_; }

  /// The mirrored line as a simulator state (scenario time unit); times not known are drawn.
  sim::LineState line_state() const;
  /// Each station's observed times next to the model's.
  std::vector<Deviation> deviations() const;

 private:
  bool take_out(const std::string& id, Item& it);  // removes it from where it is; false if odd
  void to_transit(const std::string& id);
  void record_process(uint32_t station, uint32_t product, double seconds);
  void record_arrival(double t);
  // apply() in steps: find what the event names, then one member per kind of event.
  struct Applying;
  std::string locate(Applying& a);
  uint32_t step_here(const Applying& a, const Item* it) const;
  Item& bring(Applying& a, bool arrival);
  void clear_machine(Applying& a, Machine& mm);
  void apply_arrive(Applying& a);
  void apply_start(Applying& a);
  void apply_finish(Applying& a);
  void apply_leave(Applying& a);
  void apply_fail(Applying& a);
  void apply_repair(Applying& a);
  void apply_scrap(Applying& a);
  void apply_rework(Applying& a);
  void apply_setup(Applying& a);
  void apply_maintain(Applying& a, bool begins);
  void apply_consume(Applying& a);
  void finish_item(const std::string& id, double t);
  void count_release(uint32_t product);

  sim::LineDef line_;
  bool keep_samples_, from_start_;
  double unit_;                                    // seconds per scenario time unit
  std::unordered_map<std::string, uint32_t> station_index_, product_index_;
  std::vector<std::vector<uint32_t>> routes_;      // per product: station indices
  std::vector<Station> stations_;
  std::unordered_map<std::string, Item> items_;
  std::vector<std::string> transit_;
  double clock_ = 0;
  uint64_t finished_ = 0, lost_ = 0, scrapped_ = 0;
  Moments lead_, gaps_;
  std::vector<double> gap_samples_;
  double last_arrival_ = -1;
  // Lots (SourceDef::lot): per product, the source whose lots it comes in (-1: none, or more than
  // one source makes it, so its releases cannot be told apart); per source, the product of the
  // run of new items seen last and its length.
  std::vector<int> lot_source_;
  struct Run {
    uint32_t product = 0;
    uint64_t length = 0;
  };
  std::vector<Run> runs_;
};

}  // namespace linetwin::live
