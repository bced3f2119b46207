// What one replication of a line measured: throughput, lead time, WIP and losses over the measured
// window, each station's machine-time fractions and mean queue, and counts over the whole run for
// conservation checks. Plain data, standard library only; gathered by the kernel (LineSim).
#pragma once
#include <cstdint>
#include <vector>

namespace linetwin::sim {

/// What a machine is doing, as the statistics count its time. Down includes waiting for a repair
/// worker; waiting is for the workers an operation or setup needs; off is outside the calendar.
enum class MachineState : uint8_t {
  kStarved = 0, kBusy = 1, kBlocked = 2, kDown = 3, kSetup = 4, kWaiting = 5, kMaintenance = 6, kOff = 7
};
inline constexpr int kMachineStates = 8;
/// The states timed in a machine's own cache line; the later ones, which only lines with setups,
/// workers, maintenance or calendars reach, are timed in a clock kept apart (the kernel's).
inline constexpr int kHotStates = 4;

/// A station's figures in one replication: fractions of machine time and the mean queue.
struct StationResult {
  double utilization = 0;  // busy
  double blocked = 0;
  double starved = 0;
  double down = 0;
  double setup = 0;
  double waiting = 0;      // for workers
  double maintenance = 0;
  double off = 0;          // outside the calendar
  double queue = 0;        // time-average number waiting in the buffer
  double oee = 0;          // availability x performance x quality (ISO 22400; docs/scenario_format.md)
  double power = 0;        // mean kW drawn by the station's machines
};

/// A product's figures in one replication (the line's own for a line of one product).
struct ProductResult {
  double throughput = 0;   // its items finished per time unit
  double lead_time = 0;    // mean release-to-finish of its items finished in the window; NaN if none
  double wip = 0;          // time-average of its items in the line
  double scrap = 0;        // its items scrapped per time unit
  double scrap_time = 0;   // mean release-to-scrap of its items scrapped in the window; NaN if none
  double consumed = 0;     // its items taken by an assembly per time unit (a component)
  double consume_time = 0; // mean release-to-consumption of those in the window; NaN if none
};

/// The figures of one replication.
struct RepResult {
  double throughput = 0;   // finished per time unit in the measured window
  double lead_time = 0;    // mean release-to-finish of items finished in the window; NaN if none
  double wip = 0;          // time-average items in the line
  double lost = 0;         // lost arrivals per time unit
  double scrap = 0;        // items scrapped per time unit
  double scrap_time = 0;   // mean release-to-scrap of items scrapped in the window; NaN if none
                           // (with lead_time, Little's law: wip = throughput lead_time + scrap
                           // scrap_time + consumed consume_time)
  double consumed = 0;     // components taken by assemblies per time unit
  double consume_time = 0; // mean release-to-consumption of those taken in the window; NaN if none
  double power = 0;        // mean kW drawn by every machine of the line
  double energy_per_item = 0;  // kWh per finished item; NaN if none finished
  std::vector<StationResult> stations;
  std::vector<ProductResult> products;  // per product index
  std::vector<double> workers;  // per worker pool: its busy fraction (busy workers over count)
  uint64_t events = 0;     // calendar events processed
  // Over the whole run, from time 0: created = finished + in_line + lost + scrapped + consumed
  // (components taken by an assembly; the items it makes are created there).
  uint64_t created = 0, finished = 0, lost_total = 0, in_line = 0, scrapped = 0, consumed_total = 0;
  bool unstable = false;   // stopped early: the line held more than RunDef::max_items items
  double end_time = 0;     // when the run stopped
  std::vector<uint32_t> locked;  // stations locked for good at the end (a deadlock); usually empty
};

}  // namespace linetwin::sim
