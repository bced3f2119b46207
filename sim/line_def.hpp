// Plain definitions of a production line and of an experiment: what the simulator is given.
// Filled by scenarios/ (from YAML) or by code; the simulator trusts them and never parses text.
// Standard library only. Validation belongs to whoever fills them (see validate_line in line.hpp).
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

/// The index behind a strong id.
template <class Id>
constexpr uint32_t idx(Id id) { return static_cast<uint32_t>(id); }

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr uint32_t kUnlimited = std::numeric_limits<uint32_t>::max();

enum class DistKind : uint8_t {
  kConstant, kExponential, kNormal, kLognormal, kUniform, kTriangular, kErlang, kWeibull, kEmpirical
};

/// A non-negative random variable. Parameters by kind:
/// constant a=value; exponential a=mean; normal a=mean b=sd (truncated at 0);
/// lognormal a=mean b=sd (of the variable itself); uniform a=min b=max;
/// triangular a=min b=mode c=max; erlang a=mean k; weibull a=shape b=scale; empirical values.
struct Dist {
  DistKind kind = DistKind::kConstant;
  double a = 0, b = 0, c = 0;
  uint32_t k = 1;
  std::vector<double> values;

  /// The mean of the distribution (for normal, of the truncated one).
  double mean() const;
  /// The variance (for normal, of the untruncated one when truncation is negligible).
  double variance() const;
};

/// A constant.
Dist constant(double value);
/// An exponential with the given mean.
Dist exponential(double mean);
/// A distribution of any kind from its parameters, in Dist's fields a, b, c and k.
Dist make_dist(DistKind kind, double a, double b = 0, double c = 0, uint32_t k = 1);

struct ProductDef {
  std::string name;
  std::vector<StationId> route;   // stations in order; leaving the last one finishes the item
};

struct MixEntry {
  ProductId product{};
  double weight = 1;              // normalised over the source's entries
};

struct SourceDef {
  std::string name;
  std::vector<MixEntry> mix;      // one entry for a single product
  Dist interarrival;              // unused when saturated
  bool saturated = false;         // the first station of the route never starves
};

struct FailureDef {
  Dist ttf;                       // time to failure, counted in busy time
  Dist ttr;                       // time to repair
};

struct StationDef {
  std::string name;
  uint32_t machines = 1;
  uint32_t buffer = kUnlimited;   // waiting places in front of the machines; kUnlimited = inf
  std::vector<Dist> process;      // per product index; all entries equal when one time for all
  bool has_failures = false;
  FailureDef failures;
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
