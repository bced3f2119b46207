// The event calendar, the queues and the statistics: ordering, Student-t quantiles, intervals.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

// The kernel's own tests, the one place outside sim/ that includes its private parts.
#include "sim/detail/event_calendar.hpp"
#include "sim/detail/ring_buffer.hpp"
#include "sim/random.hpp"
#include "sim/stats.hpp"

using namespace linetwin::sim;
using namespace linetwin::sim::detail;

TEST_CASE("The calendar orders by time, then by scheduling order") {
  EventCalendar c;
  c.push(2.0, 0, 1, 0);
  c.push(1.0, 0, 2, 0);
  c.push(2.0, 0, 3, 0);
  c.push(1.0, 0, 4, 0);
  c.push(0.5, 0, 5, 0);
  std::vector<uint32_t> order;
  while (!c.empty()) {
    order.push_back(c.top().subject);
    c.pop();
  }
  CHECK(order == std::vector<uint32_t>{5, 2, 4, 1, 3});
}

TEST_CASE("The calendar sorts many random times") {
  EventCalendar c;
  Rng rng(7);
  for (uint32_t i = 0; i < 10000; ++i) c.push(std::floor(rng.uniform() * 100), 0, i, 0);
  double last_t = -1;
  uint64_t last_seq = 0;
  while (!c.empty()) {
    const auto e = c.top();
    CHECK((e.t > last_t || (e.t == last_t && e.seq() > last_seq)));
    last_t = e.t;
    last_seq = e.seq();
    c.pop();
  }
}

TEST_CASE("The calendar keeps 17 to 24 pending events in order, ties included") {
  // Between 16 and 24 pending events the calendar keeps them in two groups of slots, each in its
  // own order; what comes out must still be (time, scheduling order), with events taken while
  // both groups hold some and new ones scheduled into either.
  for (uint32_t pending = 17; pending <= 24; ++pending) {
    EventCalendar c;
    std::vector<CalendarEntry> reference;  // kept sorted, earliest first
    Rng rng(pending);
    uint64_t seq = 0;
    double now = 0;
    auto push = [&](double t) {
      const uint32_t id = static_cast<uint32_t>(seq);
      c.push(t, 0, id, 0);
      const CalendarEntry e{t, seq++ << 8, id, 0};
      reference.insert(std::upper_bound(reference.begin(), reference.end(), e,
                                        [](const CalendarEntry& x, const CalendarEntry& y) {
                                          return x.t < y.t || (x.t == y.t && x.seq_kind < y.seq_kind);
                                        }),
                       e);
    };
    for (uint32_t i = 0; i < pending; ++i) push(std::floor(rng.uniform() * 8));  // many ties
    for (int step = 0; step < 2000; ++step) {
      REQUIRE(c.top().subject == reference.front().subject);
      now = c.top().t;
      c.pop();
      reference.erase(reference.begin());
      push(now + std::floor(rng.uniform() * 4));  // sometimes at once, sometimes later
      REQUIRE(c.size() == pending);
    }
  }
}

TEST_CASE("Student t quantiles match the tables") {
  CHECK(student_t_quantile(0.975, 1) == doctest::Approx(12.7062).epsilon(1e-5));
  CHECK(student_t_quantile(0.975, 4) == doctest::Approx(2.7764).epsilon(1e-4));
  CHECK(student_t_quantile(0.975, 9) == doctest::Approx(2.2622).epsilon(1e-4));
  CHECK(student_t_quantile(0.975, 30) == doctest::Approx(2.0423).epsilon(1e-4));
  CHECK(student_t_quantile(0.975, 1e6) == doctest::Approx(1.95996).epsilon(1e-4));
  CHECK(student_t_quantile(0.025, 9) == doctest::Approx(-2.2622).epsilon(1e-4));
}

TEST_CASE("Summaries: mean, interval, one replication, NaN skipped") {
  const auto s = summarize({1, 2, 3, 4, 5});
  CHECK(s.mean == doctest::Approx(3));
  CHECK(s.sd == doctest::Approx(std::sqrt(2.5)));
  CHECK(s.half_width == doctest::Approx(2.7764 * std::sqrt(2.5) / std::sqrt(5.0)).epsilon(1e-4));
  const auto one = summarize({4.0});
  CHECK(one.mean == 4.0);
  CHECK(std::isnan(one.half_width));
  const auto with_nan = summarize({1.0, std::nan(""), 3.0});
  CHECK(with_nan.n == 2);
  CHECK(with_nan.mean == doctest::Approx(2.0));
  const auto d = summarize_difference({1, 2, 3}, {2, 4, 6});
  CHECK(d.mean == doctest::Approx(2.0));
}

TEST_CASE("The calendar gives events in (time, order) like a reference, through every resize") {
  // Interleaved pushes and pops as a simulation makes them (never earlier than the last event
  // taken), with ties, bursts that grow and shrink the calendar, and events far ahead.
  EventCalendar c;
  std::vector<CalendarEntry> reference;  // kept sorted, earliest last
  auto earlier = [](const CalendarEntry& x, const CalendarEntry& y) {
    return x.t < y.t || (x.t == y.t && x.seq() < y.seq());
  };
  Rng rng(42);
  double now = 0;
  uint64_t seq = 0;
  size_t checked = 0;
  for (int round = 0; round < 200000; ++round) {
    const double phase = std::fmod(round / 20000.0, 2.0);  // grow, then shrink, and again
    const bool push = reference.empty() || rng.uniform() < (phase < 1.0 ? 0.6 : 0.4);
    if (push) {
      const double u = rng.uniform();
      double t = now;                                  // 10%: at once
      if (u > 0.9) t = now + 1e6 * rng.uniform();      // 10%: far ahead
      else if (u > 0.5) t = now + std::floor(rng.uniform() * 4);  // ties on whole numbers
      else if (u > 0.1) t = now + rng.uniform();
      const uint32_t id = static_cast<uint32_t>(round);
      c.push(t, 3, id, 0);
      CalendarEntry e{t, (seq++) << 8 | 3, id, 0};
      reference.insert(std::upper_bound(reference.begin(), reference.end(), e,
                                        [&](const CalendarEntry& x, const CalendarEntry& y) { return earlier(y, x); }),
                       e);
    } else {
      const CalendarEntry expect = reference.back();
      reference.pop_back();
      REQUIRE(!c.empty());
      const CalendarEntry got = c.top();
      c.pop();
      REQUIRE(got.subject == expect.subject);
      REQUIRE(got.t == expect.t);
      now = got.t;
      ++checked;
    }
    REQUIRE(c.size() == reference.size());
  }
  CHECK(checked > 50000);
}

TEST_CASE("The calendar keeps simultaneous events first in, first out, however many are pending") {
  // Thousands of events at a handful of times: the buckets cannot spread them (the calendar
  // falls back to its heap), and each time's events must come out in the order they went in.
  EventCalendar c;
  for (uint32_t i = 0; i < 5000; ++i) c.push(double(i % 3), 0, i, 0);
  std::vector<uint32_t> got;
  while (!c.empty()) {
    got.push_back(c.top().subject);
    c.pop();
  }
  std::vector<uint32_t> expect;
  for (uint32_t r = 0; r < 3; ++r)
    for (uint32_t i = r; i < 5000; i += 3) expect.push_back(i);
  CHECK(got == expect);
}

TEST_CASE("A copy of a calendar of many events goes on exactly like the original") {
  // Snapshots copy the calendar mid-run, buckets, nodes and all.
  EventCalendar c;
  Rng rng(3);
  double now = 0;
  for (uint32_t i = 0; i < 3000; ++i) c.push(now + standard_exponential(rng), 0, i, 0);
  for (int k = 0; k < 10000; ++k) {  // a hold model: each event schedules one more
    const CalendarEntry e = c.top();
    c.pop();
    now = e.t;
    c.push(now + (k % 7 == 0 ? 0.0 : standard_exponential(rng)), 0, e.subject, 0);
  }
  EventCalendar copy = c;
  Rng rng_copy = rng;
  for (int k = 0; k < 20000; ++k) {
    const CalendarEntry e = c.top(), f = copy.top();
    REQUIRE(e.t == f.t);
    REQUIRE(e.subject == f.subject);
    REQUIRE(e.seq() == f.seq());
    c.pop();
    copy.pop();
    c.push(e.t + standard_exponential(rng), 0, e.subject, 0);
    copy.push(f.t + standard_exponential(rng_copy), 0, f.subject, 0);
  }
  CHECK(c.size() == 3000);
}

TEST_CASE("A ring keeps first in, first out in its owner's storage, on the heap and in copies") {
  // A station's queue starts in storage beside the station and moves to the heap when it
  // outgrows it; copies of its owner (snapshots) and moves (a vector growing) must point into
  // their own storage. Checked against a plain vector through wrap-arounds, the move to the
  // heap, and copies and moves at every size.
  struct Owner {
    Ring<uint32_t> ring;
    RingStore<uint32_t, 4> store;
    Owner() { ring.start_in(store); }
  };
  Owner owner;
  std::vector<uint32_t> model;
  size_t head = 0;
  Rng rng(11);
  uint32_t next = 0;
  auto same = [&](const Ring<uint32_t>& r) {
    if (r.size() != model.size() - head) return false;
    for (size_t i = 0; i < r.size(); ++i)
      if (r[i] != model[head + i]) return false;
    return true;
  };
  for (int step = 0; step < 2000; ++step) {
    // Drift up to 12 (past the 4 places of the store, with the front anywhere when it grows),
    // then down, twice over.
    const double push = (step / 500) % 2 == 0 ? 0.6 : 0.3;
    if (model.size() - head < 12 && (model.size() == head || rng.uniform() < push)) {
      owner.ring.push_back(next);
      model.push_back(next++);
    } else if (model.size() > head) {
      REQUIRE(owner.ring.front() == model[head]);
      owner.ring.pop_front();
      ++head;
    }
    REQUIRE(same(owner.ring));
    std::vector<Owner> copies(1, owner);  // a copy, then moved as the vector grows
    for (int k = 0; k < 4; ++k) copies.push_back(copies.back());
    copies.back().ring.push_back(7);  // a copy grows on its own; the others are untouched
    const RingStore<uint32_t, 4> saved = owner.store;  // no copy may read the original's store
    for (uint32_t& slot : owner.store.slot) slot = 0xdead;
    for (size_t c = 0; c + 1 < copies.size(); ++c) REQUIRE(same(copies[c].ring));
    REQUIRE(copies.back().ring.size() == owner.ring.size() + 1);
    owner.store = saved;
    REQUIRE(same(owner.ring));
  }
  CHECK(next > 500);
}
