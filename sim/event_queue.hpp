// The event calendar: a binary min-heap ordered by (time, sequence number). The sequence number
// makes the order of simultaneous events deterministic: first scheduled, first processed.
// Standard library only.
#pragma once
#include <cstdint>
#include <vector>

namespace linetwin::sim {

struct CalendarEntry {
  double t;
  uint64_t seq;
  uint32_t a;
  uint32_t b;
  uint8_t kind;
};

class Calendar {
 public:
  /// Schedules an event at time t.
  void push(double t, uint8_t kind, uint32_t a, uint32_t b) {
    heap_.push_back(CalendarEntry{t, next_seq_++, a, b, kind});
    sift_up(heap_.size() - 1);
  }
  /// The earliest event; the calendar must not be empty.
  const CalendarEntry& top() const { return heap_.front(); }
  /// Removes the earliest event.
  void pop() {
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
  }
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }

 private:
  static bool before(const CalendarEntry& x, const CalendarEntry& y) {
    return x.t < y.t || (x.t == y.t && x.seq < y.seq);
  }
  void sift_up(size_t i) {
    CalendarEntry e = heap_[i];
    while (i > 0) {
      const size_t parent = (i - 1) / 2;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  void sift_down(size_t i) {
    CalendarEntry e = heap_[i];
    const size_t n = heap_.size();
    while (true) {
      size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
      if (!before(heap_[child], e)) break;
      heap_[i] = heap_[child];
      i = child;
    }
    heap_[i] = e;
  }

  std::vector<CalendarEntry> heap_;
  uint64_t next_seq_ = 0;
};

}  // namespace linetwin::sim
