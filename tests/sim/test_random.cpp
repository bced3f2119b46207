// Random streams and distributions: sample moments against the formulas, stream identity.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/random.hpp"

using namespace linetwin::sim;

TEST_CASE("Every distribution's sample mean and variance match its formulas") {
  const std::vector<std::pair<const char*, Dist>> cases = {
      {"constant", constant(2.5)},
      {"exponential", exponential(3)},
      {"normal", normal(10, 2)},
      {"lognormal", lognormal(2, 1.5)},
      {"uniform", uniform(1, 4)},
      {"triangular", triangular(1, 2, 6)},
      {"erlang", erlang(3, 4)},
      {"weibull", weibull(1.5, 2)},
      {"empirical", empirical({1, 2, 2, 7})},
  };
  const int n = 400000;
  for (const auto& [name, d] : cases) {
    CAPTURE(name);
    Rng rng(stream_seed(1, 0, StreamKind::kProcess, name));
    std::vector<double> xs(n);
    double sum = 0, lo = 1e300;
    for (auto& x : xs) {
      x = sample(d, rng);
      sum += x;
      lo = std::min(lo, x);
    }
    const double mean = sum / n;
    double m2 = 0, m4 = 0;
    for (double x : xs) {
      const double c = (x - mean) * (x - mean);
      m2 += c;
      m4 += c * c;
    }
    m2 /= n;
    m4 /= n;
    CHECK(lo >= 0);
    // The sample mean's standard error is sqrt(var / n); the sample variance's is
    // sqrt((m4 - var^2) / n), with m4 the fourth central moment.
    CHECK(std::fabs(mean - d.mean()) <= 4 * std::sqrt(d.variance() / n) + 1e-12);
    CHECK(std::fabs(m2 - d.variance()) <= 4 * std::sqrt((m4 - m2 * m2) / n) + 1e-12);
  }
}

TEST_CASE("A normal truncated at 0 has the truncated mean") {
  const Dist d = normal(1, 1);
  Rng rng(3);
  double sum = 0;
  const int n = 400000;
  for (int i = 0; i < n; ++i) sum += sample(d, rng);
  CHECK(sum / n == doctest::Approx(d.mean()).epsilon(0.01));
  CHECK(d.mean() == doctest::Approx(1.2876).epsilon(1e-3));  // 1 + phi(1)/Phi(1)
}

TEST_CASE("Streams: same identity same numbers, another identity other numbers") {
  Rng a(stream_seed(5, 3, StreamKind::kProcess, "m1"));
  Rng b(stream_seed(5, 3, StreamKind::kProcess, "m1"));
  Rng c(stream_seed(5, 3, StreamKind::kProcess, "m2"));
  Rng d(stream_seed(5, 4, StreamKind::kProcess, "m1"));
  Rng e(stream_seed(5, 3, StreamKind::kFailure, "m1"));
  const uint64_t x = a.next();
  CHECK(x == b.next());
  CHECK(x != c.next());
  CHECK(x != d.next());
  CHECK(x != e.next());
}

TEST_CASE("Uniform draws stay strictly inside (0, 1)") {
  Rng rng(1);
  double lo = 1, hi = 0, sum = 0;
  const int n = 1000000;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
  }
  CHECK(lo > 0.0);
  CHECK(hi < 1.0);
  CHECK(std::fabs(sum / n - 0.5) <= 4 * std::sqrt(1.0 / 12 / n));
}

TEST_CASE("Exponential draws (ziggurat) have the exponential's tail, beyond the ziggurat's base too") {
  Rng rng(11);
  const int n = 2000000;
  // P(X > c) = exp(-c): c = 1 and 3 lie in the layers, c = 8 beyond R = 7.7, in the tail strip.
  for (double c : {1.0, 3.0, 8.0}) {
    CAPTURE(c);
    int above = 0;
    for (int i = 0; i < n; ++i) above += standard_exponential(rng) > c;
    const double p = std::exp(-c), se = std::sqrt(p * (1 - p) / n);
    CHECK(std::fabs(double(above) / n - p) <= 4 * se);
  }
}
