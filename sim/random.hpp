// Random streams and distributions: one seeded stream per source of randomness, so that two
// scenarios run with the same seed share their random numbers (common random numbers) and no
// result depends on the thread count. Standard library only; no std:: distributions, whose
// output differs between library implementations.
#pragma once
#include <cmath>
#include <cstdint>
#include <string_view>

#include "sim/line_def.hpp"

namespace linetwin::sim {

/// xoshiro256**: fast, 256-bit state, good statistical quality.
class Rng {
 public:
  Rng() = default;
  /// Seeds all 256 bits from one 64-bit value through splitmix64.
  explicit Rng(uint64_t seed);
  /// The next 64 random bits.
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform on (0, 1): never 0, never 1.
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4] = {1, 2, 3, 4};
};

/// The kinds of randomness a line has; part of each stream's identity.
enum class StreamKind : uint64_t {
  kInterarrival = 1, kMix = 2, kProcess = 3, kFailure = 4, kRepair = 5, kTransport = 6, kQuality = 7,
  kSetup = 8, kMaintenance = 9
};

/// The seed of the stream for (seed, replication, kind, name, index). Streams are named, not
/// numbered, so adding a station to a scenario leaves the other stations' numbers unchanged.
uint64_t stream_seed(uint64_t seed, uint32_t replication, StreamKind kind, std::string_view name,
                     uint32_t index = 0);

/// Tables of the ziggurat for the standard exponential (Marsaglia and Tsang, 2000), 256 layers.
struct ExpZiggurat {
  static constexpr double kR = 7.69711747013104972;  // where the tail begins
  struct Layer {      // what the fast path reads, together: one cache line holds four layers
    double w;         // the layer's width over 2^53: x = u * w for 53 random bits u
    uint64_t k;       // u < k lies under the curve for sure (the fast path, ~99%)
  };
  alignas(64) Layer layer[256];
  double f[257];      // exp(-x_i)
  ExpZiggurat();
};
extern const ExpZiggurat kExpZiggurat;

/// A standard exponential draw: one 64-bit random number and a multiply almost always.
[[gnu::always_inline]] inline double standard_exponential(Rng& rng) {
  const ExpZiggurat& z = kExpZiggurat;
  for (;;) {
    const uint64_t r = rng.next();
    const uint32_t i = static_cast<uint32_t>(r & 0xff);
    const uint64_t u = r >> 11;
    const double x = static_cast<double>(u) * z.layer[i].w;
    if (u < z.layer[i].k) [[likely]] return x;
    if (i == 0) return ExpZiggurat::kR - std::log(rng.uniform());
    if (z.f[i] + rng.uniform() * (z.f[i + 1] - z.f[i]) < std::exp(-x)) return x;
  }
}

/// One draw from `d` for the kinds not handled inline by sample().
double sample_general(const Dist& d, Rng& rng);

/// One draw from `d` (always >= 0). The two commonest kinds are inline: they run for most events.
inline double sample(const Dist& d, Rng& rng) {
  if (d.kind == DistKind::kExponential) return d.exponential.mean * standard_exponential(rng);
  if (d.kind == DistKind::kConstant) return d.value;
  return sample_general(d, rng);
}

/// What sample() reads of a Dist for its two inline kinds, in 16 bytes instead of 56: the kernel
/// keeps these in dense arrays, so that a line of many stations keeps them in the cache.
struct DistHead {
  double mean = 0;  // the distribution's mean: for those kinds their one parameter, a constant's
                    // value (the kernel also sums it for OEE's ideal operation time)
  DistKind kind = DistKind::kConstant;
  DistHead() = default;
  explicit DistHead(const Dist& d) : mean(d.mean()), kind(d.kind) {}
};

/// The same draw as sample(full, rng), reading `head` (made from `full`) in the common cases.
[[gnu::always_inline]] inline double sample(const DistHead& head, const Dist& full, Rng& rng) {
  if (head.kind == DistKind::kExponential) return head.mean * standard_exponential(rng);
  if (head.kind == DistKind::kConstant) return head.mean;
  return sample_general(full, rng);
}

}  // namespace linetwin::sim
