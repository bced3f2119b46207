// The kernel's hot state, laid out by cache line (private to sim/): what a machine, a station, a
// transport, a source, an item and a route step hold while a line runs. The event loop
// (LineKernel) reads and writes these and nothing of the definitions' names and texts. Why each
// field lies where it does: docs/architecture.md, "The state's layout". Standard library only.
#pragma once
#include <cstdint>
#include <deque>
#include <vector>

#include "sim/calendar.hpp"
#include "sim/detail/line_stats.hpp"
#include "sim/detail/ring_buffer.hpp"
#include "sim/random.hpp"

namespace linetwin::sim::detail {

inline constexpr uint32_t kNoStation = 0xffffffffu;
inline constexpr uint32_t kByTransport = 0xfffffffeu;  // a hop: see LineKernel::hop_
inline constexpr uint32_t kByStation = 0xfffffffdu;    // a hop: the station has things to do
inline constexpr uint32_t kToAssembly = 0xfffffffcu;   // a hop: into a component's place at an
                                                       // assembly station (its route's end)
// A machine of an assembly station, where a machine index travels (a transport's blocked list, a
// freed machine): freed, it looks for a full set of components rather than for its queue.
inline constexpr uint32_t kAssemblerBit = 0x80000000u;
// A machine of a batch station likewise: freed, it moves the rest of its batch on, then waits for
// a batch. A machine index at or above kBatchBit is one of these, or kNoMachine.
inline constexpr uint32_t kBatchBit = 0x40000000u;
inline constexpr uint32_t kMachineMask = kBatchBit - 1;
                                                       // first (release workers, draw scrap or
                                                       // rework; LineKernel::station_hop_); hops
                                                       // at or above it are the rare paths
inline constexpr uint32_t kNoItem = 0xffffffffu;
inline constexpr uint32_t kNoTransport = 0xffffffffu;
inline constexpr uint32_t kNoMachine = 0xffffffffu;
inline constexpr uint32_t kNoProduct = 0xffffffffu;

/// The kinds of event on the calendar. (Observers see finer ones: EventKind.)
enum class EventType : uint8_t { kArrival, kFinish, kFail, kRepair, kTransportArrive, kPlanRelease, kSetupEnd,
                                kMaintainEnd, kCalendar, kBatch, kTimedArrival };

/// A pool of workers while a line runs.
struct Pool {
  int64_t free = 0;                  // may fall below 0 only when a state placed more at work
  Level busy;                        // workers at work over time (in its working time only)
  bool on = true;                    // in its calendar's working time: it takes tasks
  double off_mark = 0;               // busy's area when its calendar last stopped work
};

/// A calendar while a line runs: its arithmetic, where it stands, and what works by it.
struct CalendarRun {
  Calendar cal;
  uint64_t next = 0;                 // the next flip, counted over the periods from time 0
  bool works = true;
  std::vector<uint32_t> stations, pools;
  std::vector<uint32_t> held;        // machines holding an item whose start waits for work
};

/// A need for workers that waits: an operation's (or setup's), a repair's or a maintenance's.
enum class Need : uint8_t { kWork, kRepair, kMaintain };
struct WorkerRequest {
  uint32_t machine;                  // global index
  Need need;
};

/// An assembly station's own state: the components waiting in their places, and its free machines.
struct Assembly {
  uint32_t product = 0;                     // what it makes
  std::vector<uint32_t> components, need;   // per bill-of-materials entry: product, count
  std::vector<std::deque<uint32_t>> stock;  // per entry: the items waiting, in arrival order
  std::vector<std::deque<uint64_t>> order;  // beside stock: when each came, counted, so that a
  uint64_t arrivals = 0;                    // state lists the buffer in the order it filled
  uint32_t places = 0;                      // per component product (the station's buffer)
  std::vector<uint32_t> free;               // free machines (global indices)
  size_t in_stock() const {
    size_t n = 0;
    for (const auto& s : stock) n += s.size();
    return n;
  }
};

/// A batch station's own state: its free machines, and when each item waiting in its buffer came.
struct Batch {
  uint32_t size = 1;
  double max_wait = 0;
  std::vector<uint32_t> free;               // free machines (global indices)
  std::deque<double> arrived;               // beside the station's queue, in the same order
  bool check_pending = false;               // a look at the queue is on the calendar (kBatch, 0)
  bool timer_set = false;                   // the first waiting item's max_wait is (kBatch, 1)
};

/// What a machine does with the finished item it holds when its maintenance ends.
enum class AfterMaintenance : uint8_t { kNothing, kMoveOn, kRework };

// From kRework on, the kinds that take_from_waiter treats apart, behind one test.
enum class WaiterKind : uint8_t { kMachine, kTransport, kRelease, kRework, kAssembler, kBatcher };
/// Someone holding an item for a full station.
struct Waiter {
  WaiterKind kind;
  uint32_t who;              // global machine index (kMachine, kRework), or transport index
  uint32_t item;             // item slot
};

/// What moving an item needs: kept apart from the rest of it, 8 bytes, for the cache.
struct Item {
  uint32_t product;
  uint32_t at;               // its step: an index into LineKernel::steps_ (the product's route)
};

/// What only an item's release, its end and observers need.
struct ItemLife {
  double release;
  uint64_t serial;
};

/// One cache line per machine: what its events read and write, its statistics clock included.
struct alignas(64) Machine {
  uint32_t station;
  uint32_t item;             // item slot held, kNoItem when empty
  uint32_t hop;              // where the held item goes from here (hop_ of its step), read here
                             // at its finish
  MachineState state = MachineState::kStarved;  // for the statistics
  double ttf_left;           // busy time left before the next failure
  MachineClock clock;        // time per state in the measured window
};
static_assert(sizeof(Machine) == 64);

/// A queue's places beside its station (a power of two; a buffer up to this size never leaves it).
inline constexpr uint32_t kQueueStore = 8;

/// Three cache lines: the first is what taking and placing items reads, the second what starting
/// work reads (the random stream, the next draw made ahead), the third the queues' elements while
/// they are few. On a line of many stations each event touches a few stations, so their state is
/// packed for the cache.
struct alignas(64) Station {
  Ring<uint32_t> queue;              // item slots waiting in the buffer
  Ring<Waiter> waiters;              // upstream holders waiting for a place here
  uint32_t buffer;                   // places; kUnlimited for inf
  uint32_t idle_count = 0;           // free machines: a stack in LineKernel::idle_[first_machine ...]
  uint32_t first_machine, machines;
  QueueArea queue_area;              // for the statistics: the queue over time
  uint32_t saturated_count = 0;      // saturated sources feeding this station:
                                     // LineKernel::saturated_[saturated_first, + saturated_count)
  bool draws_ahead = false;          // every product's process time here is exponential and no
                                     // setups come first: the next standard exponential draw
                                     // waits in next_exponential
  bool queue_in_store = false;       // the queue stays in queue_store: it never holds more than
                                     // the buffer's places, at most kQueueStore
  // Off the common path, so packed into one byte (the first line has no room for more).
  bool has_setups : 1 = false;       // a changeover may precede an operation (StationDef::setups)
  bool has_needs : 1 = false;        // setups and operations need workers (StationDef::needs)
  bool maintains : 1 = false;        // preventive maintenance (StationDef::maintenance)
  bool slow_start : 1 = false;       // any of the three: a start has more to do than the operation
  bool assembles : 1 = false;        // makes a product from components (LineKernel::Assembly)
  bool ordered : 1 = false;          // not first come, first served: the queue is kept in the
                                     // order of LineKernel::queue_key_ (never in its store)
  bool timed : 1 = false;            // works by a calendar: its activities stretch over working time
  bool batches : 1 = false;          // takes batches (LineKernel::Batch; its queue never in store)
  bool off : 1 = false;              // outside its calendar's working time now
  // Second line.
  alignas(64) Rng process_rng;
  double next_exponential = 0;       // drawn from process_rng ahead of its use (see draws_ahead)
  DistHead product0_process;         // product 0's process time (the others: process_head_)
  uint32_t next_saturated = 0;       // round robin over the saturated sources
  uint32_t saturated_first = 0;
  // Third line: where the queues start (they move to the heap if they outgrow it).
  alignas(64) RingStore<uint32_t, kQueueStore> queue_store;
  RingStore<Waiter, 1> waiters_store;

  // Copies (snapshots, and the vector's moves) copy the stores with the rings: see Ring.
  Station() {
    queue.start_in(queue_store);
    waiters.start_in(waiters_store);
  }
  /// Puts an item in the queue, which must have a free place. In its store that needs no read
  /// of the ring's capacity, which lies with its elements in the third line, likely out of the
  /// first-level cache on a long line.
  /// (At an ordered station the kernel inserts instead: LineKernel::enqueue.)
  [[gnu::always_inline]] void enqueue(uint32_t item) {
    if (queue_in_store) [[likely]] {
      queue.push_back_in_store<kQueueStore>(item);
    } else {
      queue.push_back(item);
    }
  }
  /// Behind the items whose product's key (lower first) is not above its own, before the others.
  void insert_ordered(uint32_t item, uint32_t product, const Item* items, const double* key) {
    queue.push_back(item);
    const double k = key[product];
    size_t i = queue.size() - 1;
    for (; i > 0 && key[items[queue[i - 1]].product] > k; --i) queue[i] = queue[i - 1];
    queue[i] = item;
  }
};
static_assert(sizeof(Station) == 192);

struct Transport {
  uint32_t to;
  uint32_t capacity, used = 0;
  Ring<uint32_t> blocked;            // machines (global) waiting for a slot
  Rng rng;
};

struct Source {
  std::vector<double> cumulative;    // cumulative normalised mix weights
  std::vector<uint32_t> products;
  Rng arrival_rng, mix_rng;
  uint32_t lot = 1;                  // items per draw from the mix
  uint32_t lot_left = 0;             // items of the current lot still to come
  uint32_t lot_product = 0;
};

struct RouteStep {
  uint32_t station;
  uint32_t transport;                // to the next step, kNoTransport if none
  uint32_t next;                     // the next step's station, kNoStation after the last
};

}  // namespace linetwin::sim::detail
