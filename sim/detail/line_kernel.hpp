// The kernel behind LineSim (private to sim/): one replication's whole state and the event loop
// that runs it, with direct access to the state. Its public members are LineSim's; the rest is the
// machinery of the events. The event loop and what it inlines live in line_kernel.cpp, one
// translation unit; line_state.cpp (states) and plan.cpp (plans) add what the loop never runs.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/detail/event_calendar.hpp"
#include "sim/detail/line_layout.hpp"
#include "sim/detail/line_stats.hpp"
#include "sim/line_def.hpp"
#include "sim/line_state.hpp"
#include "sim/observer.hpp"
#include "sim/random.hpp"
#include "sim/rep_result.hpp"

namespace linetwin::sim::detail {

class LineKernel {
 public:
  // What LineSim offers, documented there.
  LineKernel(const LineDef& line, const RunDef& run, uint32_t replication);
  LineKernel(const LineKernel& saved) = default;
  LineKernel& operator=(const LineKernel&) = delete;
  void add_observer(Observer* observer) {
    observers_.list.push_back(observer);
    observers_.any = true;
  }
  void start_from(const LineState& state);
  void follow_plan(const PlanDef& plan);
  uint64_t plan_finished() const { return plan_finished_; }
  LineState state() const;
  bool run_until(double t);
  RepResult run();
  double now() const { return now_; }
  uint64_t events() const { return events_; }
  RepResult result() const;

 private:
  // Building the state from the definition, step by step (the constructor).
  void build_routes();
  void build_stations(uint64_t seed, uint32_t replication);
  void build_transports(uint64_t seed, uint32_t replication);
  void build_sources(uint64_t seed, uint32_t replication);

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
    if constexpr (K == EventKind::kRelease || K == EventKind::kComplete || K == EventKind::kScrap ||
                  K == EventKind::kConsume)
      if (products_ > 1) stats_.on_product<K>(now_, items_[item].product, value);  // a hot member: no extra load
    if (kHooks && observers_.any) [[unlikely]] notify(K, station, machine, item, transport, value);
  }
  void notify(EventKind kind, uint32_t station, uint32_t machine, uint32_t item, uint32_t transport,
              double value);
  [[gnu::always_inline]] void schedule(double t, EventType type, uint32_t subject, uint32_t extra = 0) {
    calendar_.push(t, uint8_t(type), subject, extra);
  }
  template <bool kHooks = true>
  [[gnu::always_inline]] inline void process(const CalendarEntry& e);
  /// Processes events up to `limit`; kHooks: tell observers and follow the plan, if any.
  template <bool kHooks>
  void run_events(double limit);
  /// Opens the measured window at the end of the warm-up: every statistic restarts.
  template <bool kHooks>
  void open_window();
  /// Asks ahead for what the next events touch (a run without hooks).
  [[gnu::always_inline]] void prefetch_next() const;
  uint32_t new_item(uint32_t source);
  uint32_t alloc_item(uint32_t product);
  // Inlined by force: with a second caller (scrap) the compiler would otherwise call it out of
  // line on the hot path of every finished item.
  [[gnu::always_inline]] void free_item(uint32_t item) {
    free_items_.push_back(item);
    --alive_;
  }
  /// kTimed: a source on a calendar (its arrivals are kTimedArrival events).
  template <bool kHooks = true, bool kTimed = false>
  void on_arrival(uint32_t source);
  /// A new item from the saturated sources feeding `station`, in turn, released and arrived there.
  template <bool kHooks = true>
  [[gnu::always_inline]] uint32_t release_saturated(Station& st, uint32_t station) {
    const uint32_t source = saturated_[st.saturated_first + st.next_saturated];
    if (++st.next_saturated == st.saturated_count) st.next_saturated = 0;  // no division
    const uint32_t item = new_item(source);
    emit<EventKind::kRelease, kHooks>(LineEvent::kNone, LineEvent::kNone, item);
    emit<EventKind::kArrive, kHooks>(station, LineEvent::kNone, item);
    return item;
  }
  /// The first arrival of a source that is not saturated.
  void first_arrival(uint32_t source);
  void init();
  /// Makes the first draw ahead at the stations that draw ahead (see Station::draws_ahead); after
  /// any other draw from their streams, before the first start.
  void draw_ahead();
  template <bool kHooks = true>
  bool can_accept(uint32_t station, uint32_t item) const;
  template <bool kHooks = true>
  [[gnu::always_inline]] inline void accept(uint32_t station, uint32_t item);
  /// Into the station's buffer: at the back, or at an ordered station in its place.
  [[gnu::always_inline]] void enqueue(Station& st, uint32_t station, uint32_t item) {
    if (st.queue_in_store) [[likely]] return st.queue.push_back_in_store<kQueueStore>(item);
    if (st.ordered | st.batches) [[unlikely]] return enqueue_rare(st, station, item);
    st.queue.push_back(item);
  }
  /// An ordered station's insertion, or a batch station's arrival (which may start a batch).
  [[gnu::noinline]] void enqueue_rare(Station& st, uint32_t station, uint32_t item);
  // Batches (StationDef::batch): a look at a batch station's queue (on the calendar at once, as
  // kBatch, so that it never runs inside the freeing of machines), the look itself (which starts
  // batches on free machines and lets upstream holders into the places they free), and a batch
  // machine's items moving on one after another when its operation ends (or its blocked item
  // found a place), after which it is free.
  void request_batch_check(uint32_t station);
  template <bool kHooks = true>
  void batch_check(uint32_t station);
  template <bool kHooks = true>
  void batch_move(uint32_t machine, uint32_t station);
  template <bool kHooks = true>
  [[gnu::noinline]] void batch_continue(uint32_t machine);
  /// What a station's machines carry where machine indices travel (kAssemblerBit, kBatchBit).
  uint32_t freed_bits(uint32_t station) const {
    const Station& st = stations_[station];
    return st.assembles ? kAssemblerBit : st.batches ? kBatchBit : 0;
  }
  /// A freed machine index at or above kBatchBit: none, an assembly's or a batch station's.
  template <bool kHooks = true>
  void special_freed(uint32_t machine) {
    if (machine == kNoMachine) return;
    if (machine & kAssemblerBit) return assembly_freed<kHooks>(machine & kMachineMask);
    batch_continue<kHooks>(machine & kMachineMask);
  }
  // These run for nearly every event: defined below, so that they inline where they are called.
  /// Gives `item` to `machine`: a setup first where one is due, then the operation.
  template <bool kHooks = true>
  [[gnu::always_inline]] void start(uint32_t machine, uint32_t item);
  /// The operation itself; kAhead: at a station that draws ahead (Station::draws_ahead); kAge:
  /// at a station with maintenance, whose machines count their age; kTimed: at a station on a
  /// calendar (Station::timed).
  template <bool kHooks = true, bool kAhead = false, bool kAge = false, bool kTimed = false>
  [[gnu::always_inline]] void start_work(uint32_t machine, uint32_t item);
  /// A start with needs, setups, maintenance or a calendar (Station::slow_start).
  template <bool kHooks = true>
  void start_slow(uint32_t machine, uint32_t item);
  /// The operation, at a station that may count its machines' age or work by a calendar.
  template <bool kHooks = true>
  void start_counted(uint32_t machine, uint32_t item) {
    const Station& st = stations_[machines_[machine].station];
    if (st.timed) [[unlikely]] {
      if (st.maintains) return start_work<kHooks, false, true, true>(machine, item);
      return start_work<kHooks, false, false, true>(machine, item);
    }
    if (st.maintains) return start_work<kHooks, false, true>(machine, item);
    start_work<kHooks, false, false>(machine, item);
  }
  // Calendars: when an activity of `d` working time begun now at a station ends (now + d off
  // calendars); the work left of an activity ending at t, in working time; a calendar's flips
  // (work stops: its stations' machines are marked and start nothing; work resumes: their time
  // since goes to off, the held starts go, the waiting requests are looked at).
  double end_of(uint32_t station, double d) const {
    if (!stations_[station].timed) return now_ + d;
    return timed_end(calendars_[station_calendar_[station]], d);
  }
  double timed_end(const CalendarRun& c, double d) const {
    if (!(d > 0)) return now_;
    return std::max(now_, c.cal.when(c.cal.working(now_ + phase_) + d) - phase_);
  }
  double work_left(uint32_t station, double t) const {
    if (!stations_[station].timed) return t - now_;
    const Calendar& c = calendars_[station_calendar_[station]].cal;
    return std::max(0.0, c.working(t + phase_) - c.working(now_ + phase_));
  }
  double flip_time(const CalendarRun& c, uint64_t k) const {
    const auto& f = c.cal.flips();
    return double(k / f.size()) * c.cal.period() + f[k % f.size()].t - phase_;
  }
  void start_calendars();
  template <bool kHooks = true>
  void on_calendar(uint32_t calendar);
  template <bool kHooks = true>
  void stop_work(CalendarRun& c);
  template <bool kHooks = true>
  void resume_work(CalendarRun& c);
  /// Begins work on a machine: begin_work, stretched over the calendar at a timed station.
  void begin_any(uint32_t machine, double work) {
    if (stations_[machines_[machine].station].timed) return begin_work<true>(machine, work);
    begin_work(machine, work);
  }
  /// Starts a changeover when `item`'s product needs one after the machine's last; false if not.
  template <bool kHooks = true>
  bool begin_setup(uint32_t machine, uint32_t item);
  /// A machine enters a cold state (setup, waiting, maintenance, off), leaving a hot one; or
  /// leaves its cold state for a starved instant that the next event ends (the statistics of
  /// hot events only ever leave hot states).
  void enter_cold(uint32_t machine, MachineState s);
  void leave_cold(uint32_t machine);
  template <bool kTimed = false>
  [[gnu::always_inline]] void begin_work(uint32_t machine, double work);
  template <bool kHooks = true>
  void vacate(uint32_t machine);
  template <bool kHooks = true>
  void block(uint32_t machine);
  template <bool kHooks = true>
  [[gnu::always_inline]] inline void on_finish(uint32_t machine, uint32_t station);
  /// Where the finished item of `machine` goes by `hop`: out of the line, into a transport, to
  /// the next station, or (kByStation) first to on_station_done.
  /// kFree = false (an item finished before a maintenance): nothing is freed and nothing blocks;
  /// returns whether the item left the machine.
  template <bool kHooks = true, bool kFree = true>
  [[gnu::always_inline]] inline bool move_on(uint32_t machine, uint32_t station, uint32_t hop);
  /// What a station with workers, scrap or rework does when an operation ends: its workers go,
  /// then scrap, rework or on.
  template <bool kHooks = true>
  void on_station_done(uint32_t machine, uint32_t station);
  /// Workers: taking a station's needs (false when they are not all free: the request waits),
  /// letting them go, and granting the waiting requests that can now be met, in their order.
  template <bool kHooks = true>
  bool request_workers(uint32_t machine);
  void take_needs(uint32_t station, int64_t sign);
  template <bool kHooks = true>
  void release_workers(uint32_t pool_or_station, bool repair);
  template <bool kHooks = true>
  void grant_waiting();
  /// A failed machine's repair: now, when its pool has a worker free (or it needs none), or later.
  template <bool kHooks = true>
  void request_repair(uint32_t machine, double repair = -1);
  /// Preventive maintenance after the operation that brought the machine's age to its interval:
  /// the finished item goes on if it can, and the machine is maintained (holding it if not).
  template <bool kHooks = true>
  void finish_then_maintain(uint32_t machine, uint32_t station);
  /// The maintenance itself: now, when its pool has a worker free (or it needs none), or later;
  /// `duration` < 0: drawn.
  template <bool kHooks = true>
  void request_maintenance(uint32_t machine, double duration = -1);
  template <bool kHooks = true>
  void on_maintained(uint32_t machine);
  /// Goes on with a start that had to wait for workers: setup (if due) and operation.
  template <bool kHooks = true>
  void start_granted(uint32_t machine);
  /// Scrap, rework or on, by the station's quality stream.
  template <bool kHooks = true, bool kFree = true>
  bool on_quality(uint32_t machine, uint32_t station);
  /// Sends a reworked item back (its kRework already told); kFree as for move_on.
  template <bool kHooks = true, bool kFree = true>
  bool rework(uint32_t machine, uint32_t station, uint32_t item);
  // Assembly (ProductDef::bom): a component into its place at the assembly station (or blocked,
  // from a machine or a transport's end), the station's operations on full sets, its waiting
  // components into the places a set frees, and its machines, freed, going back to their sets.
  // Out of line: inlined into the hot paths that reach them rarely, they cost those paths.
  template <bool kHooks = true, bool kFree = true>
  [[gnu::noinline]] bool to_assembly(uint32_t machine, uint32_t station);
  template <bool kHooks = true>
  [[gnu::noinline]] void transport_to_assembly(uint32_t transport, uint32_t item);
  template <bool kHooks = true>
  void into_stock(uint32_t station, uint32_t item);
  template <bool kHooks = true>
  void try_assemble(uint32_t station);
  template <bool kHooks = true>
  void refill_stock(uint32_t station);
  template <bool kHooks = true>
  [[gnu::noinline]] void assembly_freed(uint32_t machine);
  template <bool kHooks = true>
  [[gnu::noinline]] void assembly_done(uint32_t machine, uint32_t station);
  size_t queue_length(uint32_t station) const {
    return stations_[station].assembles ? assemblies_[assembly_of_[station]].in_stock() : stations_[station].queue.size();
  }
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
  // Starting from a state (line_state.cpp).
  uint32_t place_item(const PlacedItem& placed);
  void place_machine(uint32_t station, uint32_t index, const PlacedMachine& placed);
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
                                                // kByTransport (then see the step), or
                                                // kByStation at a station with scrap, rework
                                                // or workers
  std::vector<uint32_t> station_hop_;           // per step: the hop an item
                                                // that is neither scrapped nor reworked takes
  std::vector<uint32_t> rework_step_;           // per step at such a station: the step a
                                                // reworked item goes back to
  std::vector<Rng> quality_rngs_;               // per station (empty ones where no quality)
  std::vector<QualityCount> quality_count_;     // per station, on a line with scrap or rework
  std::vector<Rng> setup_rngs_;                 // per station (empty ones where no setups)
  std::vector<uint32_t> last_product_;          // per machine, on a line with setups: the product
                                                // of its last operation (kNoProduct: none yet)
  std::vector<ColdClock> cold_;                 // per machine, on a line that reaches cold states
  std::vector<double> age_;                     // per machine, on a line with maintenance: busy
                                                // time since its last repair or maintenance,
                                                // counting each operation whole at its start
  std::vector<Rng> maintain_rngs_;              // per machine, on a line with maintenance
  std::vector<AfterMaintenance> after_maintenance_;  // per machine, on a line with maintenance
  std::vector<Assembly> assemblies_;            // per assembly station
  std::vector<uint32_t> assembly_of_;           // per station: its index in assemblies_, on a line
                                                // with assembly
  std::vector<CalendarRun> calendars_;          // per calendar
  uint32_t flipping_ = 0;                       // calendars with flips: each has one kCalendar pending
  double longest_period_ = 0;                   // of those
  std::vector<uint32_t> station_calendar_;      // per station: its calendar, or kNoCalendar
  std::vector<StateTimes> off_mark_;            // per machine, on a line with calendars: its
                                                // times when its calendar last stopped work
  double phase_ = 0;                            // calendar time at time 0 (a state's t)
  std::vector<Pool> pools_;                     // per worker pool
  std::vector<Batch> batches_;                  // per batch station
  std::vector<uint32_t> batch_of_;              // per station: its index in batches_, on a line
                                                // with batches
  std::vector<std::vector<uint32_t>> batch_rest_;  // per machine, on a line with batches: the
                                                // items of its batch beside the one it holds
  std::vector<WorkerRequest> requests_;         // waiting for workers, in the order they arose
  std::vector<Dist> process_;                   // per station and product: [s * products + p]
  std::vector<DistHead> process_head_;          // the same, compact, for the hot path
  std::vector<double> queue_key_;               // per station and product at ordered stations
                                                // ([s * products + p], lower first), else empty
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
  EventCalendar calendar_;
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
inline void LineKernel::start(uint32_t mi, uint32_t item) {
  // One test on the common path: a station that draws ahead has no setups (build_stations).
  const Station& st = stations_[machines_[mi].station];
  if (st.draws_ahead) [[likely]] return start_work<kHooks, true>(mi, item);
  if (st.slow_start) [[unlikely]] return start_slow<kHooks>(mi, item);
  start_work<kHooks, false>(mi, item);
}

template <bool kHooks, bool kAhead, bool kAge, bool kTimed>
inline void LineKernel::start_work(uint32_t mi, uint32_t item) {
  Machine& m = machines_[mi];
  Station& st = stations_[m.station];
  m.item = item;
  emit<EventKind::kStart, kHooks>(m.station, mi, item);
  const Item& it = items_[item];
  m.hop = hop_[it.at];  // read here, beside the step it comes from, rather than at the finish
  const uint32_t k = m.station * products_ + it.product;
  const DistHead& head = it.product == 0 ? st.product0_process : process_head_[k];
  m.clock.ideal += head.mean;
  if constexpr (kAhead) {
    // The same draws from the same stream in the same order as sample(), each made one start
    // early: the time scheduled now does not wait for the generator.
    begin_work(mi, head.mean * st.next_exponential);
    st.next_exponential = standard_exponential(st.process_rng);
  } else {
    const double work = sample(head, process_[k], st.process_rng);
    if constexpr (kAge) age_[mi] += work;
    begin_work<kTimed>(mi, work);
  }
}

template <bool kTimed>
inline void LineKernel::begin_work(uint32_t mi, double work) {
  Machine& m = machines_[mi];
  // Time to failure counts busy time only, so a failure can fall only inside processing (and, on
  // a calendar, inside the working time).
  auto end = [&](double d) {
    if constexpr (kTimed) return timed_end(calendars_[station_calendar_[m.station]], d);
    return now_ + d;
  };
  if (m.ttf_left < work) [[unlikely]] {
    schedule(end(m.ttf_left), EventType::kFail, mi, m.station);
    work_left_[mi] = work - m.ttf_left;
    m.ttf_left = 0;
  } else {
    schedule(end(work), EventType::kFinish, mi, m.station);  // the station: for prefetch_next
    m.ttf_left -= work;
  }
}

}  // namespace linetwin::sim::detail
