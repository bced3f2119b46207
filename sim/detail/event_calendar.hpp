// The kernel's event calendar (private to sim/): pending events ordered by (time, sequence
// number). The sequence number makes the order of simultaneous events deterministic: first
// scheduled, first processed. Up to 24 pending events are the near events (near_events.hpp);
// more go in time buckets (a calendar queue) that feed them, or, when their times cannot be
// spread over buckets, all into the near events' heap. Why it is built so: docs/architecture.md,
// "The event calendar". Standard library only.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/detail/near_events.hpp"

namespace linetwin::sim::detail {

/// The calendar. While few events are pending, all of them are near events. With many, a
/// window of buckets spreads them over time slices (a calendar queue, as in Brown 1988, with the
/// ladder queue's unsorted far list of Tang et al. 2005): a push appends to its slice's bucket,
/// the earliest non-empty bucket is moved into the near events when they run out, and events
/// beyond the window wait unsorted in a far list until the window is used up and is rebuilt
/// around them. Each event is thus moved a constant number of times and the heap stays small,
/// so the cost per event does not grow with the number pending. The order is exactly (time,
/// sequence number) whatever the structure: which bucket holds an event is a monotone function
/// of its time, and the heap orders what it holds.
class alignas(64) EventCalendar {
 public:
  /// Schedules an event of `kind` at time t (see CalendarEntry for subject and extra).
  [[gnu::always_inline]] void push(double t, uint8_t kind, uint32_t subject, uint32_t extra) {
    const CalendarEntry e{t, next_seq_++ << 8 | kind, subject, extra};
    if (buckets_on_) {
      if (push_bucket(e)) [[likely]] return;  // many events: usually into a bucket
    } else if (near_.push_to_slots(e)) [[likely]] {  // few events
      return;
    }
    push_more(e);
  }
  /// The earliest event; the calendar must not be empty.
  [[gnu::always_inline]] const CalendarEntry& top() { return near_.top(); }
  /// See NearEvents::guess_top. The guesses are right while the near events are few (always so
  /// when buckets are on), worthless while they are in the heap.
  bool guesses_right() const { return near_.in_slots(); }
  const CalendarEntry& guess_top() const { return near_.guess_top(); }
  /// Removes the earliest event.
  [[gnu::always_inline]] void pop() {
    near_.pop();
    after_pop();
  }
  /// Takes the earliest event into `out` if there is one at or before `limit`; false (and
  /// nothing done) otherwise. The same as testing empty() and top(), then pop(), in one look.
  [[gnu::always_inline]] bool pop_until(double limit, CalendarEntry& out) {
    if (!near_.pop_until(limit, out)) return false;
    after_pop();
    return true;
  }
  // The heap is never empty while anything is pending (pop refills it from the buckets).
  [[gnu::always_inline]] bool empty() { return near_.empty(); }
  size_t size() const { return buckets_on_ ? beyond_near_ + near_.size() : near_.size(); }
  /// Calls f(entry) for every pending event, in no particular order (for snapshots, not runs).
  template <class F>
  void for_each_pending(F f) const {
    near_.for_each_pending(f);
    for (uint32_t h : bucket_head_)
      for (uint32_t n = h; n != kNil; n = nodes_[n].next) f(nodes_[n].e);
    for (const CalendarEntry& e : far_) f(e);
  }

 private:
  static constexpr uint32_t kNil = 0xffffffffu;
  // The near events ran out while buckets are on: refills them, or stops the buckets.
  [[gnu::always_inline]] void after_pop() {
    if (buckets_on_ && near_.in_slots_and_empty()) [[unlikely]] {
      if (beyond_near_ < kBucketsOff) [[unlikely]] {
        stop_buckets();
      } else {
        refill();
      }
    }
  }
  // place() for the common case, inlined: an event for a bucket when a node is free; false
  // (nothing done) otherwise.
  [[gnu::always_inline]] bool push_bucket(const CalendarEntry& e) {
    const double x = (e.t - start_) * inv_width_;
    if (!(x >= opened_ && x < end_) || free_node_ == kNil) return false;
    const size_t b = static_cast<size_t>(x);
    const uint32_t n = free_node_;
    free_node_ = nodes_[n].next;
    nodes_[n] = Node{e, bucket_head_[b]};
    bucket_head_[b] = n;
    ++beyond_near_;
    return true;
  }
  [[gnu::noinline]] void push_more(const CalendarEntry& e) {
    if (buckets_on_) {
      if (!place<Age::kNewest>(e)) ++beyond_near_;
      return;
    }
    near_.push<Age::kNewest>(e);
    if (!near_.in_slots() && near_.raw_size() > buckets_from_) [[unlikely]] start_buckets();
  }
  // Buckets start above kBucketsOn pending events and stop below kBucketsOff; between the two the
  // structure stays as it is, so that it does not switch back and forth.
  static constexpr size_t kBucketsOn = 24, kBucketsOff = 12;
  struct Node {
    CalendarEntry e;
    uint32_t next;
  };

  // Where an event goes, by x = (t - start) / width: below the next bucket to open, into the
  // near events (true); within the window, into bucket floor(x); beyond it, into the far list.
  // x grows with t (floating-point subtraction and multiplication by a positive number are
  // monotone).
  template <Age kAge>
  [[gnu::always_inline]] bool place(const CalendarEntry& e) {
    const double x = (e.t - start_) * inv_width_;
    if (x < opened_) {
      near_.push<kAge>(e);
      return true;
    }
    if (x < end_) {
      const size_t b = static_cast<size_t>(x);
      uint32_t n;
      if (free_node_ != kNil) {
        n = free_node_;
        free_node_ = nodes_[n].next;
      } else {
        n = static_cast<uint32_t>(nodes_.size());
        nodes_.emplace_back();
      }
      nodes_[n] = Node{e, bucket_head_[b]};
      bucket_head_[b] = n;
    } else {
      far_.push_back(e);
    }
    return false;
  }
  // The near events ran out: moves the earliest non-empty bucket in, rebuilding the window from
  // the far list when every bucket is used up.
  void refill() {
    for (;;) {
      while (next_bucket_ < bucket_head_.size()) {
        uint32_t n = bucket_head_[next_bucket_];
        bucket_head_[next_bucket_++] = kNil;
        opened_ = double(next_bucket_);
        if (n == kNil) continue;
        // Newest first (pushed at the head), so each is numbered before those put before it.
        uint32_t free = free_node_;  // the nodes are freed as they are read, with the list in a register
        size_t moved = 0;
        near_.fill_oldest([&]() -> const CalendarEntry* {
          if (n == kNil) return nullptr;
          Node& node = nodes_[n];
          const uint32_t after = node.next;
          node.next = free;
          free = n;
          n = after;
          ++moved;
          return &node.e;
        });
        free_node_ = free;
        beyond_near_ -= moved;
        return;
      }
      if (!rebuild()) return;  // everything is in the heap now
    }
  }
  // Spreads the far list over a new window of twice as many buckets as events, sized so that its
  // dense part holds about eight events per bucket: the width is eight times the span of the
  // earliest half divided by its count. Eight, not fewer: counting a new event's place in the
  // slots costs the same however many of them are filled, so fewer, fuller refills are cheaper.
  // Events beyond the window stay far. When the times are too concentrated to spread
  // (half of them tied, or infinite), buckets are abandoned: everything goes to the heap, and
  // buckets are retried only at twice as many pending events. False in that case.
  bool rebuild() {
    const size_t m = far_.size();
    const size_t half = m / 2;
    rebuild_times_.clear();
    for (const CalendarEntry& e : far_) rebuild_times_.push_back(e.t);
    std::nth_element(rebuild_times_.begin(), rebuild_times_.begin() + half, rebuild_times_.end());
    const double mid = rebuild_times_[half];
    const double lo = *std::min_element(rebuild_times_.begin(), rebuild_times_.begin() + half + 1);
    const double span = mid - lo;
    if (!(span > 0) || !(span < 1e300) || half < 4) {
      abandon_buckets();
      return false;
    }
    start_ = lo;
    inv_width_ = double(half) / (8 * span);
    bucket_head_.assign(2 * m, kNil);
    next_bucket_ = 0;
    opened_ = 0;
    end_ = double(bucket_head_.size());
    std::vector<CalendarEntry> all;
    all.swap(far_);
    // In order of number, so that each bucket's list, pushed at its head, runs from newest to
    // oldest (refill relies on it), and the far list stays in order of number.
    for (const CalendarEntry& e : all) place<Age::kAny>(e);
    spare_far_.swap(all);  // keeps its capacity for the next rebuild
    spare_far_.clear();
    return true;
  }
  void start_buckets() {
    buckets_on_ = true;
    near_.allow_push_to_slots(false);
    beyond_near_ = near_.size();
    far_.clear();
    near_.for_each_pending([&](const CalendarEntry& e) { far_.push_back(e); });
    std::sort(far_.begin(), far_.end(),
              [](const CalendarEntry& x, const CalendarEntry& y) { return x.seq_kind < y.seq_kind; });
    near_.clear();
    bucket_head_.clear();
    next_bucket_ = 0;
    opened_ = end_ = 0;
    refill();
  }
  void abandon_buckets() {
    for (const CalendarEntry& e : far_) near_.push(e);
    far_.clear();
    bucket_head_.clear();
    next_bucket_ = 0;
    opened_ = end_ = 0;
    buckets_on_ = false;
    near_.allow_push_to_slots(true);
    buckets_from_ = 2 * beyond_near_;
  }
  void stop_buckets() {
    // Everything into the heap; the buckets' nodes are kept for next time.
    for (uint32_t& h : bucket_head_)
      for (uint32_t n = std::exchange(h, kNil); n != kNil;) {
        near_.push(nodes_[n].e);
        const uint32_t next = nodes_[n].next;
        nodes_[n].next = free_node_;
        free_node_ = n;
        n = next;
      }
    abandon_buckets();
    buckets_from_ = kBucketsOn;
  }

  // What pushing and popping read first, together, then the near events' own.
  uint64_t next_seq_ = 0;
  size_t beyond_near_ = 0;             // while buckets are on: the events in them and in the far list
  double start_ = 0, inv_width_ = 0;   // the window: bucket x holds times from start_ + x / inv_width_
  double opened_ = 0, end_ = 0;        // next_bucket_ and the bucket count, as x values
  uint32_t free_node_ = kNil;          // the first unused node
  bool buckets_on_ = false;
  size_t next_bucket_ = 0;             // buckets below it have been moved into near_
  std::vector<uint32_t> bucket_head_;  // per bucket: its first node, kNil when empty
  std::vector<Node> nodes_;            // bucket nodes, linked through next
  NearEvents near_;                    // the earliest events (all of them while buckets are off)
  std::vector<CalendarEntry> far_;     // beyond the window, in order of number
  std::vector<double> rebuild_times_;  // rebuild's scratch
  std::vector<CalendarEntry> spare_far_;  // the far list's last storage, kept for the next rebuild
  size_t buckets_from_ = kBucketsOn;   // buckets start when the heap holds more events than this
};

}  // namespace linetwin::sim::detail
