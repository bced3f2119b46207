// The line model: one replication of a production line as a discrete-event simulation.
// Sources release items, stations with parallel machines and finite buffers process them with
// blocking after service, transports carry them between station pairs, machines break down.
// Not here: parsing (scenarios/), replications and intervals (experiment.hpp).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/event_queue.hpp"
#include "sim/line_def.hpp"
#include "sim/line_state.hpp"
#include "sim/line_stats.hpp"
#include "sim/observer.hpp"
#include "sim/random.hpp"
#include "sim/ring.hpp"

namespace linetwin::sim {

/// Checks what the simulator relies on (ids in range, routes non-empty, ...). Returns an empty
/// string when the definition is sound, else what is wrong. scenarios/ gives users better words.
std::string check_line(const LineDef& line);

/// One replication of a line.
class LineSim {
 public:
  /// Prepares replication `replication` of `line`; streams are seeded from run.seed.
  LineSim(const LineDef& line, const RunDef& run, uint32_t replication);
  /// A snapshot: the whole state (clock, calendar, items, statistics, random streams) but no
  /// observers. Running a copy on gives exactly what running the original on would.
  LineSim(const LineSim& saved) = default;
  LineSim& operator=(const LineSim&) = delete;

  /// Adds an observer (not owned; it must outlive the run).
  void add_observer(Observer* observer) {
    observers_.list.push_back(observer);
    observers_.any = true;
  }
  /// Starts the run at time 0 from `state` instead of an empty line (check_state must accept it);
  /// call it before run_until. Times the state does not give are drawn from this run's streams.
  void start_from(const LineState& state);
  /// Follows `plan` (not owned; it must outlive the run) instead of the sources: each job enters
  /// the line at its release time and each machine takes only the next job of its sequence, even
  /// when others wait. The run ends when nothing more can happen; call it before run_until.
  /// (state() and start_from are for lines fed by their sources, not for planned runs.)
  void follow_plan(const PlanDef& plan);
  /// Jobs of the plan finished so far (all of them once a planned run ends, unless it deadlocked).
  uint64_t plan_finished() const { return plan_finished_; }
  /// Where every item is now and what every machine is doing.
  LineState state() const;
  /// Runs to the end of the measured window and returns the replication's figures.
  RepResult run();
  /// Processes events up to time t (or the end of the run); false once the run is over.
  bool run_until(double t);
  /// The simulated clock.
  double now() const { return now_; }
  /// Events processed so far.
  uint64_t events() const { return events_; }
  /// The figures so far (final after run()).
  RepResult result() const;

 private:
  enum class Ev : uint8_t { kArrival, kFinish, kFail, kRepair, kTransportArrive, kPlanRelease };
  enum class WaiterKind : uint8_t { kMachine, kTransport, kRelease };
  struct Waiter {            // someone holding an item for a full station
    WaiterKind kind;
    uint32_t who;            // global machine index, or transport index
    uint32_t item;           // item slot
  };
  struct Item {              // what moving an item needs: kept apart, 8 bytes, for the cache
    uint32_t product;
    uint32_t at;             // its step: an index into steps_ (the product's route)
  };
  struct ItemLife {          // what only its release, its end and observers need
    double release;
    uint64_t serial;
  };
  // One cache line per machine: what its events read and write, its statistics clock included.
  struct alignas(64) Machine {
    uint32_t station;
    uint32_t item;           // item slot held, kNoItem when empty
    uint32_t hop;            // where the held item goes from here (hop_ of its step), read here
                             // at its finish
    MachineState state = MachineState::kStarved;  // for the statistics
    double ttf_left;         // busy time left before the next failure
    MachineClock clock;      // time per state in the measured window
  };
  static_assert(sizeof(Machine) == 64);
  // Three cache lines: the first is what taking and placing items reads, the second what starting
  // work reads (the random stream, the next draw made ahead), the third the queues' elements
  // while they are few. On a line of many stations
  // each event touches a few stations, so their state is packed for the cache.
  static constexpr uint32_t kQueueStore = 8;  // a queue's places beside its station
  struct alignas(64) Station {
    Ring<uint32_t> queue;            // item slots waiting in the buffer
    Ring<Waiter> waiters;            // upstream holders waiting for a place here
    uint32_t buffer;                 // places; kUnlimited for inf
    uint32_t idle_n = 0;             // free machines: a stack in idle_[first_machine ...]
    uint32_t first_machine, machines;
    QueueArea queue_area;            // for the statistics: the queue over time
    uint32_t saturated_n = 0;        // saturated sources feeding this station:
                                     // saturated_[saturated_first, + saturated_n)
    bool ahead = false;              // every product's process time here is exponential: the
                                     // next standard exponential draw waits in next_e
    bool queue_in_store = false;     // the queue stays in queue_store: it never holds more than
                                     // the buffer's places, at most kQueueStore
    // Second line.
    alignas(64) Rng process_rng;
    double next_e = 0;               // drawn from process_rng ahead of its use (see ahead)
    DistHead head0;                  // product 0's process time (the others: process_head_)
    uint32_t next_saturated = 0;     // round robin over the saturated sources
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
    [[gnu::always_inline]] void enqueue(uint32_t item) {
      if (queue_in_store) [[likely]] {
        queue.push_back_in_store<kQueueStore>(item);
      } else {
        queue.push_back(item);
      }
    }
  };
  static_assert(sizeof(Station) == 192);
  struct Transport {
    uint32_t to;
    uint32_t capacity, used = 0;
    Ring<uint32_t> blocked;          // machines (global) waiting for a slot
    Rng rng;
  };
  struct Source {
    std::vector<double> cumulative;  // cumulative normalised mix weights
    std::vector<uint32_t> products;
    Rng arrival_rng, mix_rng;
  };
  struct RouteStep {
    uint32_t station;
    uint32_t transport;              // to the next step, kNoTransport if none
    uint32_t next;                   // the next step's station, kNoStation after the last
  };
  static constexpr uint32_t kNoStation = 0xffffffffu;
  static constexpr uint32_t kByTransport = 0xfffffffeu;  // a hop: see hop_
  static constexpr uint32_t kNoItem = 0xffffffffu;
  static constexpr uint32_t kNoTransport = 0xffffffffu;
  static constexpr uint32_t kNoMachine = 0xffffffffu;

  /// Tells the statistics (directly, specialised for K) and any observers. `machine` is the
  /// global machine index here; observers get the index within the station.
  template <EventKind K, bool kHooks = true>
  void emit(uint32_t station, uint32_t machine, uint32_t item, uint32_t transport = LineEvent::kNone,
            double value = 0) {
    MachineState* state = nullptr;
    MachineClock* clock = nullptr;
    QueueArea* queue = nullptr;
    if constexpr (K == EventKind::kStart || K == EventKind::kRepair || K == EventKind::kBlock ||
                  K == EventKind::kLeave || K == EventKind::kFail) {
      Machine& m = machines_[machine];
      state = &m.state;
      clock = &m.clock;
    }
    if constexpr (K == EventKind::kEnqueue || K == EventKind::kDequeue)
      queue = &stations_[station].queue_area;
    stats_.on<K>(now_, state, clock, queue, value);
    if (kHooks && observers_.any) [[unlikely]] notify(K, station, machine, item, transport, value);
  }
  void notify(EventKind kind, uint32_t station, uint32_t machine, uint32_t item, uint32_t transport,
              double value);
  [[gnu::always_inline]] void schedule(double t, Ev kind, uint32_t a, uint32_t b = 0) {
    calendar_.push(t, uint8_t(kind), a, b);
  }
  template <bool kHooks = true>
  [[gnu::always_inline]] inline void process(const CalendarEntry& e);
  /// Processes events up to `limit`; kHooks: tell observers and follow the plan, if any.
  template <bool kHooks>
  void run_events(double limit);
  /// Asks ahead for what the next events touch (a run without hooks).
  [[gnu::always_inline]] void prefetch_next() const;
  uint32_t new_item(uint32_t source);
  uint32_t alloc_item(uint32_t product);
  void free_item(uint32_t item);
  template <bool kHooks = true>
  void on_arrival(uint32_t source);
  void init();
  /// Makes the first draw ahead at the stations that draw ahead (see Station::ahead); after any
  /// other draw from their streams, before the first start.
  void draw_ahead();
  template <bool kHooks = true>
  bool can_accept(uint32_t station, uint32_t item) const;
  template <bool kHooks = true>
  [[gnu::always_inline]] inline void accept(uint32_t station, uint32_t item);
  // These two run for nearly every event: defined below, inlined where they are called (the
  // calls cost a tenth of the instructions of the 10-station line).
  template <bool kHooks = true>
  [[gnu::always_inline]] void start(uint32_t machine, uint32_t item);
  [[gnu::always_inline]] void begin_work(uint32_t machine, double work);
  template <bool kHooks = true>
  void vacate(uint32_t machine);
  template <bool kHooks = true>
  void block(uint32_t machine);
  template <bool kHooks = true>
  [[gnu::always_inline]] inline void on_finish(uint32_t machine, uint32_t station);
  template <bool kHooks = true>
  void send_into_transport(uint32_t transport, uint32_t item);
  template <bool kHooks = true>
  void on_transport_arrive(uint32_t transport, uint32_t item);
  template <bool kHooks = true>
  uint32_t release_slot(uint32_t transport);
  template <bool kHooks = true>
  uint32_t take_from_waiter(uint32_t station, uint32_t& item);
  /// `station` is the machine's, when the caller knows it (else looked up).
  template <bool kHooks = true>
  [[gnu::always_inline]] inline void machine_freed(uint32_t machine, uint32_t station = kNoStation);
  /// machine_freed<true>, out of line (for line_state.cpp).
  void machine_freed_hooked(uint32_t machine);
  uint32_t place_item(const PlacedItem& placed);
  // Following a plan (plan.cpp).
  bool can_accept_planned(uint32_t station, uint32_t item) const;
  void accept_planned(uint32_t station, uint32_t item);
  void machine_freed_planned(uint32_t machine);
  void on_plan_release(uint32_t job);
  uint32_t planned_next(uint32_t machine) const;
  uint32_t idle_wanting(uint32_t station, uint32_t item) const;
  void start_planned(uint32_t machine, uint32_t item);

  const LineDef& def_;
  RunDef run_;
  double end_time_;
  bool started_ = false;
  bool measuring_ = false;
  bool finished_ = false;
  bool unstable_ = false;
  bool prefetch_ = false;   // ask ahead for the next event's machine and station
  double now_ = 0;
  uint64_t events_ = 0;
  uint64_t serial_ = 0;
  uint64_t alive_ = 0;

  std::vector<RouteStep> steps_;                // every product's route, one after another
  std::vector<uint32_t> route_start_;           // per product: its first step in steps_
  std::vector<uint32_t> hop_;                   // per step, where an item goes from it: the next
                                                // station, kNoStation after the last step, or
                                                // kByTransport (then see the step)
  std::vector<Dist> process_;                   // per station and product: [s * products + p]
  std::vector<DistHead> process_head_;          // the same, compact, for the hot path
  uint32_t products_ = 0;
  std::vector<Rng> fail_rngs_, repair_rngs_;    // per machine
  std::vector<Source> sources_;
  std::vector<Station> stations_;
  std::vector<Machine> machines_;
  std::vector<double> work_left_;               // per machine: work left after a pending failure
  std::vector<uint32_t> saturated_;             // per station, the saturated sources feeding it
  std::vector<uint32_t> idle_;                  // per station, its free machines (a stack)
  std::vector<Transport> transports_;
  std::vector<Item> items_;
  std::vector<ItemLife> item_life_;
  std::vector<uint32_t> free_items_;
  const PlanDef* plan_ = nullptr;
  std::vector<uint32_t> plan_pos_;              // per machine: its next entry in the plan
  std::vector<uint32_t> plan_work_;             // machines freed, still to look for work
  uint64_t plan_finished_ = 0;
  Calendar calendar_;
  LineStats stats_;
  // Who listens is not part of the state: a copy starts with no observers.
  struct Observers {
    std::vector<Observer*> list;
    bool any = false;
    Observers() = default;
    Observers(const Observers&) {}
  } observers_;
};

template <bool kHooks>
inline void LineSim::start(uint32_t mi, uint32_t item) {
  Machine& m = machines_[mi];
  Station& st = stations_[m.station];
  m.item = item;
  emit<EventKind::kStart, kHooks>(m.station, mi, item);
  const Item& it = items_[item];
  m.hop = hop_[it.at];  // read here, beside the step it comes from, rather than at the finish
  const uint32_t k = m.station * products_ + it.product;
  const DistHead& head = it.product == 0 ? st.head0 : process_head_[k];
  if (st.ahead) [[likely]] {
    // The same draws from the same stream in the same order as sample(), each made one start
    // early: the time scheduled now does not wait for the generator.
    begin_work(mi, head.a * st.next_e);
    st.next_e = standard_exponential(st.process_rng);
    return;
  }
  begin_work(mi, sample(head, process_[k], st.process_rng));
}

inline void LineSim::begin_work(uint32_t mi, double work) {
  Machine& m = machines_[mi];
  // Time to failure counts busy time only, so a failure can fall only inside processing.
  if (m.ttf_left < work) [[unlikely]] {
    schedule(now_ + m.ttf_left, Ev::kFail, mi, m.station);
    work_left_[mi] = work - m.ttf_left;
    m.ttf_left = 0;
  } else {
    schedule(now_ + work, Ev::kFinish, mi, m.station);  // the station: for prefetch_next
    m.ttf_left -= work;
  }
}

}  // namespace linetwin::sim
