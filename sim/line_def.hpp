// Plain definitions of a production line and of an experiment: what the simulator is given.
// Filled by scenarios/ (from YAML) or by code; the simulator trusts them and never parses text.
// Standard library only. Validation belongs to whoever fills them (see check_line in line.hpp).
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/time_unit.hpp"

namespace linetwin::sim {

enum class ProductId : uint32_t {};
enum class SourceId : uint32_t {};
enum class StationId : uint32_t {};
enum class TransportId : uint32_t {};
enum class PoolId : uint32_t {};

/// The index behind a strong id.
template <class Id>
constexpr uint32_t idx(Id id) { return static_cast<uint32_t>(id); }

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr uint32_t kUnlimited = std::numeric_limits<uint32_t>::max();

enum class DistKind : uint8_t {
  kConstant, kExponential, kNormal, kLognormal, kUniform, kTriangular, kErlang, kWeibull, kEmpirical
};

/// A non-negative random variable: its kind, and that kind's parameters in the union's member of
/// the kind's name (only that member holds anything, as a Box2D shape holds its own geometry).
/// Times are in the line's unit; a Weibull's shape and an Erlang's k are pure numbers.
struct Dist {
  struct Mean { double mean; };
  struct MeanSd { double mean, sd; };
  struct MinMax { double min, max; };
  struct MinModeMax { double min, mode, max; };
  struct MeanPhases { double mean; uint32_t k; };
  struct ShapeScale { double shape, scale; };

  DistKind kind = DistKind::kConstant;
  union {
    double value = 0;          // kConstant
    Mean exponential;          // kExponential
    MeanSd normal;             // kNormal: of the normal before its truncation at 0
    MeanSd lognormal;          // kLognormal: of the variable itself, not of its logarithm
    MinMax uniform;            // kUniform
    MinModeMax triangular;     // kTriangular
    MeanPhases erlang;         // kErlang: k exponential phases, each of mean / k
    ShapeScale weibull;        // kWeibull
  };
  std::vector<double> values;  // kEmpirical: observed values, equally likely

  /// The mean of the distribution (for normal, of the truncated one).
  double mean() const;
  /// The variance (for normal, of the untruncated one when truncation is negligible).
  double variance() const;
  /// The same kind with the same parameters.
  bool operator==(const Dist& other) const;
};

/// A constant.
Dist constant(double value);
/// An exponential with the given mean.
Dist exponential(double mean);
/// A normal truncated at 0 (mean and sd before the truncation).
Dist normal(double mean, double sd);
/// A lognormal with the given mean and sd (of the variable itself).
Dist lognormal(double mean, double sd);
/// A uniform on [min, max].
Dist uniform(double min, double max);
/// A triangular on [min, max] with its peak at mode.
Dist triangular(double min, double mode, double max);
/// An Erlang: the sum of k exponentials, of the given mean in all.
Dist erlang(double mean, uint32_t k);
/// A Weibull with the given shape (a pure number) and scale.
Dist weibull(double shape, double scale);
/// One of `values`, each equally likely.
Dist empirical(std::vector<double> values);

/// One line of a bill of materials: `count` items of product `component` for each item made.
struct BomEntry {
  ProductId component{};
  uint32_t count = 1;
};

struct ProductDef {
  std::string name;
  std::vector<StationId> route;   // stations in order; leaving the last one finishes the item
  int32_t priority = 0;           // higher goes first at a station whose discipline is kPriority
  // Assembly: a product with a bill of materials is made at the first station of its route, one
  // item from each full set of its components, whose routes end there (no source releases it).
  // A component's item waits there, in a place of the station's buffer kept for its product,
  // until an operation takes a set; consumed, it is neither finished nor lost.
  std::vector<BomEntry> bom;
  bool assembled() const { return !bom.empty(); }
};

/// The order in which a station's machines take the items waiting in its buffer; ties (and
/// kFifo) in the order they came.
enum class Discipline : uint8_t {
  kFifo,
  kPriority,  // the highest product priority first
  kSpt,       // the shortest mean process time at the station first
};

inline constexpr uint32_t kNoCalendar = 0xffffffffu;

struct MixEntry {
  ProductId product{};
  double weight = 1;              // normalised over the source's entries
};

struct SourceDef {
  std::string name;
  std::vector<MixEntry> mix;      // one entry for a single product
  Dist interarrival;              // unused when saturated
  bool saturated = false;         // the first station of the route never starves
  uint32_t calendar = kNoCalendar;  // releases only in this calendar's working time (the times
                                    // between arrivals count working time); kNoCalendar: they go
                                    // on whatever the calendars of the line
  uint32_t lot = 1;               // a mix is released in lots: each draw from it makes this many
                                  // items of one product in a row (1: every item drawn afresh)
};

inline constexpr uint32_t kNoPool = 0xffffffffu;

struct FailureDef {
  Dist ttf;                       // time to failure, counted in busy time
  Dist ttr;                       // time to repair
  uint32_t repair_by = kNoPool;   // a worker pool (index): a repair waits for one and holds it
};

/// Age-based preventive maintenance: when a machine's busy time since its last repair or
/// maintenance reaches `every`, it is maintained for `duration` as soon as the item it finished
/// has left it; afterwards its time to failure starts afresh, as after a repair.
struct MaintenanceDef {
  double every = kInf;            // busy time between maintenances; kInf: none
  Dist duration;
  uint32_t by = kNoPool;          // a worker pool (index): the maintenance waits for one and holds it
};

/// A stretch of time [from, to), in the line's unit.
struct Interval {
  double from = 0, to = 0;
  bool operator==(const Interval&) const = default;
};

/// When a line, a station or a pool of workers works: a pattern that repeats every `period` from
/// time 0, working inside the `work` intervals (within [0, period]; they may touch or overlap)
/// except in the `breaks` (each inside the working time). Outside, machines start nothing and
/// pause what they do, and workers take no task (sim/calendar.hpp does the arithmetic).
struct CalendarDef {
  std::string name;
  double period = 0;
  std::vector<Interval> work;
  std::vector<Interval> breaks;
};

/// A batch: a station's operation takes up to `size` items from its buffer at once, one process
/// time for them all (drawn for the first item's product). It starts when `size` items wait, or
/// `max_wait` after the first of those waiting came (then with what is there; kInf: full
/// batches only). Its items leave one after another, in the order they came.
struct BatchDef {
  uint32_t size = 1;
  double max_wait = kInf;
};

/// A pool of people shared between stations (operators, technicians).
struct WorkerPoolDef {
  std::string name;
  uint32_t count = 1;
  uint32_t calendar = kNoCalendar;  // an index into LineDef::calendars; kNoCalendar: the line's
};

/// Workers of a pool that a station's setups and operations need.
struct WorkerNeed {
  uint32_t pool = 0;              // index into LineDef::workers
  uint32_t count = 1;
};

struct StationDef {
  std::string name;
  uint32_t machines = 1;
  uint32_t buffer = kUnlimited;   // waiting places in front of the machines; kUnlimited = inf
  std::vector<Dist> process;      // per product index; all entries equal when one time for all
  bool has_failures = false;
  FailureDef failures;
  // Quality: each time an item finishes here, it is scrapped (it leaves the line) with
  // probability `scrap`, sent back to `rework_to` (a station of its route at or before this one,
  // continuing its route from there) with probability `rework`, and goes on otherwise.
  double scrap = 0;
  double rework = 0;
  StationId rework_to{};
  bool has_quality() const { return scrap > 0 || rework > 0; }
  // Changeovers: an operation on a product other than the one its machine worked last starts
  // with a setup drawn from setups[from * products + to] (empty: no setups here; a constant 0
  // entry: none for that pair). A machine's first item needs none: it starts set up for it.
  std::vector<Dist> setups;
  bool has_setups() const { return !setups.empty(); }
  // Power drawn by each machine, in kW, per MachineState (index); all 0 when not given.
  std::vector<double> power;  // empty, or one entry per MachineState
  bool has_power() const { return !power.empty(); }
  // Workers held from the start of a setup or operation to its end, all taken at once.
  std::vector<WorkerNeed> needs;
  bool has_needs() const { return !needs.empty(); }
  MaintenanceDef maintenance;
  bool has_maintenance() const { return maintenance.every < kInf; }
  Discipline discipline = Discipline::kFifo;
  BatchDef batch;
  bool has_batch() const { return batch.size > 1; }
  uint32_t calendar = kNoCalendar;  // an index into LineDef::calendars; kNoCalendar: the line's
};

struct TransportDef {
  StationId from{};
  StationId to{};
  Dist time;                      // travel time of one item
  uint32_t capacity = kUnlimited; // items travelling (or waiting at the end) at once
};

/// The line: products with their routes, sources, stations and transports.
struct LineDef {
  std::string name;
  TimeUnit time_unit = TimeUnit::kMinute;  // the unit of every time in this definition
  std::vector<ProductDef> products;
  std::vector<SourceDef> sources;
  std::vector<StationDef> stations;
  std::vector<TransportDef> transports;
  std::vector<WorkerPoolDef> workers;
  std::vector<CalendarDef> calendars;
  uint32_t calendar = kNoCalendar;         // the line's calendar; kNoCalendar: always working

  /// The calendar a station or a pool works by (its own, else the line's), or kNoCalendar.
  uint32_t calendar_of(const StationDef& s) const { return s.calendar != kNoCalendar ? s.calendar : calendar; }
  uint32_t calendar_of(const WorkerPoolDef& w) const { return w.calendar != kNoCalendar ? w.calendar : calendar; }

  // Whether any station uses a key: what reports show and what the kernel keeps only then.
  bool has_quality() const { return any_station(&StationDef::has_quality); }
  bool has_setups() const { return any_station(&StationDef::has_setups); }
  bool has_power() const { return any_station(&StationDef::has_power); }
  bool has_workers() const { return !workers.empty(); }
  bool has_maintenance() const { return any_station(&StationDef::has_maintenance); }
  bool has_batches() const { return any_station(&StationDef::has_batch); }
  bool has_calendars() const {
    if (calendar != kNoCalendar) return true;
    for (const StationDef& s : stations)
      if (s.calendar != kNoCalendar) return true;
    for (const WorkerPoolDef& w : workers)
      if (w.calendar != kNoCalendar) return true;
    for (const SourceDef& s : sources)
      if (s.calendar != kNoCalendar) return true;
    return false;
  }
  bool has_assembly() const {
    for (const ProductDef& p : products)
      if (p.assembled()) return true;
    return false;
  }

 private:
  bool any_station(bool (StationDef::*has)() const) const {
    for (const StationDef& s : stations)
      if ((s.*has)()) return true;
    return false;
  }
};

/// An order: `quantity` units of `product`, released into the line at `release`, due at `due`
/// (times in the line's unit); `weight` is the cost per unit of time the order is late.
struct OrderDef {
  std::string name;
  ProductId product{};
  uint32_t quantity = 1;
  double release = 0;
  double due = kInf;  // none: never late
  double weight = 1;
};

/// A plan for the line to follow (LineSim::follow_plan): jobs released at given times and, per
/// machine, the jobs in the order it is to process them. Sources are off while a plan runs.
struct PlanDef {
  struct Job {
    ProductId product{};
    double release = 0;
  };
  std::vector<Job> jobs;                         // an item's serial number is its job index + 1
  std::vector<std::vector<uint32_t>> sequences;  // per machine (stations' machines one after another)
};

/// How a line is run: the measured window, the replications and the seed.
struct RunDef {
  double horizon = 10000;         // measured length, after the warm-up
  double warmup = 1000;           // statistics before this time are discarded
  uint32_t replications = 10;
  uint64_t seed = 1;
  uint32_t threads = 0;           // 0: all cores
  uint64_t max_items = 10'000'000;// a line holding more items than this is reported as unstable
};

}  // namespace linetwin::sim
