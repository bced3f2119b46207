// The event calendar, ordered by (time, sequence number). The sequence number makes the order of
// simultaneous events deterministic: first scheduled, first processed. A few pending events are
// kept in a sorted array; more in a 4-ary min-heap whose pop is completed lazily, so that the
// event it makes can take the root's place, and whose root is refilled bottom-up (Floyd).
// Standard library only.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace linetwin::sim {

struct CalendarEntry {
  double t;
  uint64_t seq_kind;  // sequence number << 8 | kind
  uint32_t a;
  uint32_t b;
  uint8_t kind() const { return static_cast<uint8_t>(seq_kind & 0xff); }
  uint64_t seq() const { return seq_kind >> 8; }
};

class Calendar {
 public:
  /// Schedules an event at time t.
  void push(double t, uint8_t kind, uint32_t a, uint32_t b) {
    const CalendarEntry e{t, next_seq_++ << 8 | kind, a, b};
    if (small_) {
      // Latest first, earliest at the back: the new event, the latest of any equal times,
      // goes behind the later ones; those earlier move one place back as it passes them.
      const size_t n = heap_.size();
      heap_.emplace_back();
      CalendarEntry* a = heap_.data();
      size_t i = n;
      while (i > 0 && !before(e, a[i - 1])) {
        a[i] = a[i - 1];
        --i;
      }
      a[i] = e;
      if (n + 1 > kSmallMax) to_heap();
      return;
    }
    if (top_removed_) {
      // Most events schedule one follow-up: put it where the removed top was and sift it down,
      // one pass through the heap instead of two.
      top_removed_ = false;
      sift_down(e);
      return;
    }
    heap_.push_back(e);
    sift_up(heap_.size() - 1);
  }
  /// The earliest event; the calendar must not be empty.
  const CalendarEntry& top() {
    if (small_) return heap_.back();
    settle();
    return heap_.front();
  }
  /// Removes the earliest event (in a heap lazily: the next push may take its place).
  void pop() {
    if (small_) {
      heap_.pop_back();
      return;
    }
    settle();
    top_removed_ = true;
    if (heap_.size() < kHeapMin) to_small();
  }
  bool empty() {
    settle();
    return heap_.empty();
  }
  size_t size() const { return heap_.size() - (top_removed_ ? 1 : 0); }
  /// Calls f(entry) for every pending event, in no particular order (for snapshots, not runs).
  template <class F>
  void for_each_pending(F f) const {
    for (size_t i = top_removed_ ? 1 : 0; i < heap_.size(); ++i) f(heap_[i]);
  }

 private:
  static constexpr size_t kArity = 4;
  // Few pending events are kept sorted, latest first (shifting a few entries beats sifting
  // through a heap); many go in the heap. The gap between the two sizes keeps it from
  // switching back and forth.
  static constexpr size_t kSmallMax = 24, kHeapMin = 8;

  void to_heap() {
    std::reverse(heap_.begin(), heap_.end());  // earliest first is a valid heap
    small_ = false;
  }
  void to_small() {
    settle();
    std::sort(heap_.begin(), heap_.end(), [](const CalendarEntry& x, const CalendarEntry& y) { return before(y, x); });
    small_ = true;
  }
  static bool before(const CalendarEntry& x, const CalendarEntry& y) {
    return x.t < y.t || (x.t == y.t && x.seq_kind < y.seq_kind);
  }
  // The same without branches: choosing between two children is a coin toss the branch
  // predictor loses half the time, which dominated the cost of large calendars.
  static size_t before_bit(const CalendarEntry& x, const CalendarEntry& y) {
    return static_cast<size_t>((x.t < y.t) | ((x.t == y.t) & (x.seq_kind < y.seq_kind)));
  }
  void sift_up(size_t i) { rise(i, heap_[i]); }
  // Puts `e` at the hole i or above it, moving later parents down.
  void rise(size_t i, const CalendarEntry e) {
    while (i > 0) {
      const size_t parent = (i - 1) / kArity;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  // Puts `e` in the root's place: the hole first sinks to a leaf along the smallest children,
  // then `e` rises from there (Floyd's bottom-up heap; a new event usually belongs near the
  // bottom, so it rises little). Four children a node halve the depth, and the smallest of four
  // is found without branches.
  void sift_down(const CalendarEntry& e) {
    const size_t n = heap_.size();
    size_t i = 0;
    for (size_t c = 1; c < n; c = kArity * i + 1) {
      if (c + 3 < n) {
        const size_t x = c + before_bit(heap_[c + 1], heap_[c]);
        const size_t y = c + 2 + before_bit(heap_[c + 3], heap_[c + 2]);
        c = before_bit(heap_[y], heap_[x]) ? y : x;
      } else {
        for (size_t k = c + 1; k < n; ++k) c = before_bit(heap_[k], heap_[c]) ? k : c;
      }
      heap_[i] = heap_[c];
      i = c;
    }
    rise(i, e);
  }

  // Completes a lazy pop.
  void settle() {
    if (!top_removed_) return;
    top_removed_ = false;
    const CalendarEntry last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(last);
  }

  std::vector<CalendarEntry> heap_;
  uint64_t next_seq_ = 0;
  bool top_removed_ = false;  // heap_[0] is popped but still stands there
  bool small_ = true;         // heap_ is sorted latest first (few events) instead of a heap
};

}  // namespace linetwin::sim
