// A line's state as plain data: which items wait in each buffer, sit on each machine or travel in
// a transport, and what each machine is doing. LineSim can report its state and start a run from
// one (the twin's look-ahead starts from the mirrored line). Standard library only.
// Not a snapshot: times not given are drawn again, so use a copy of LineSim to resume exactly.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/line_def.hpp"
#include "sim/random.hpp"

namespace linetwin::sim {

inline constexpr double kDraw = std::numeric_limits<double>::quiet_NaN();  // "draw it"

/// An item somewhere in the line.
struct PlacedItem {
  uint64_t id = 0;                // the caller's id (LineSim reports its serial numbers)
  uint32_t product = 0;           // product index
  uint32_t step = 0;              // index of its current (or, in a transport, next) route step
  double age = 0;                 // time since its release
};

enum class MachineStatus : uint8_t { kIdle, kBusy, kBlocked, kDown, kSetup, kMaintenance };

inline constexpr uint32_t kNoLastProduct = 0xffffffffu;

/// One machine. A blocked machine holds a finished item; a down one holds the item it was
/// processing (a down machine without an item is placed idle); one in setup holds the item it is
/// being set up for, whose operation has not begun; one in maintenance holds the item it finished
/// last only when that found no place downstream (`holding`).
struct PlacedMachine {
  MachineStatus status = MachineStatus::kIdle;
  PlacedItem item;                // unused when idle
  double elapsed = 0;             // processing time already spent on the item (in setup: setup
                                  // time; in maintenance: maintenance time)
  double remaining = kDraw;       // processing time left (kDraw: drawn given `elapsed`)
  double down_for = 0;            // time since the failure, when down
  double repair_left = kDraw;     // repair time left (kDraw: drawn given `down_for`)
  double busy_since_repair = 0;   // busy time since the last repair or maintenance (or the start)
  double ttf_left = kDraw;        // busy time left before the next failure (kDraw: drawn)
  double setup_left = kDraw;      // setup time left, in setup (kDraw: drawn given `elapsed`)
  double maintain_left = kDraw;   // maintenance time left, in maintenance (kDraw: drawn given
                                  // `elapsed`, or when its worker comes)
  bool holding = false;           // in maintenance: it holds `item`, finished, which goes on after
  bool off = false;               // off its calendar now (informational: a run started from the
                                  // state knows it from the state's t)
  uint32_t last_product = kNoLastProduct;  // the product it is set up for (kNoLastProduct: none
                                           // yet, so that its next item needs no setup)
};

/// Whether the machine holds an item (an idle one never, one in maintenance when `holding`).
inline bool holds_item(const PlacedMachine& m) {
  return m.status == MachineStatus::kMaintenance ? m.holding : m.status != MachineStatus::kIdle;
}

/// One station: its buffer, front first, and its machines. (Items whose start waits, for workers
/// or for the station's calendar, are listed at the buffer's front; on a calendar a machine's
/// times left are working time.)
struct PlacedStation {
  std::vector<PlacedItem> queue;
  std::vector<PlacedMachine> machines;
};

/// An item in a transport (or waiting at its end for a place).
struct PlacedTransit {
  uint32_t transport = 0;         // transport index
  PlacedItem item;                // step: the station it travels to
  double remaining = kDraw;       // travel time left (kDraw: a whole travel time drawn)
};

/// The whole line at one moment.
/// Where a source stands in its current lot (SourceDef::lot): `left` more items of `product`.
struct PlacedLot {
  uint32_t product = 0;           // a product of the source's mix
  uint32_t left = 0;              // 0: its next item begins a new lot
};

struct LineState {
  double t = 0;                   // when: a run started from it starts at 0, its calendars
                                  // where they stand at t
  std::vector<PlacedStation> stations;
  std::vector<PlacedTransit> transit;
  std::vector<PlacedLot> lots;    // per source, on a line with lots; empty: each begins a new lot
  uint64_t finished = 0, lost = 0;  // items finished and lost so far (informational)
};

/// Checks `state` against `line` (sizes, products, steps at the right stations). Returns an empty
/// string when it can be placed, else what is wrong.
std::string check_state(const LineDef& line, const LineState& state);

/// A draw from `d` given that more than `elapsed` has passed, minus `elapsed` (the residual
/// time); 0 when the draws never pass `elapsed` (the item is overdue by the model's account).
double sample_residual(const Dist& d, double elapsed, Rng& rng);

}  // namespace linetwin::sim
