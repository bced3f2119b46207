// The event calendar, ordered by (time, sequence number). The sequence number makes the order of
// simultaneous events deterministic: first scheduled, first processed. Up to 24 pending events
// are kept in a sorted array; more in time buckets (a calendar queue) that feed that array, or,
// when their times cannot be spread over buckets, in a 4-ary min-heap whose pop is completed
// lazily, so that the event it makes can take the root's place, and whose root is refilled
// bottom-up (Floyd). Standard library only.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
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

/// What is known of an event's number against those already in a queue it joins.
enum class Age : uint8_t {
  kAny,
  kNewest,  // numbered after every event in the queue: it follows any of equal time
  kOldest,  // numbered before every event in the queue: it precedes any of equal time
};

/// Events ordered by (time, sequence number): a sorted array while few, a 4-ary heap when many.
/// The calendar's near part; entries come numbered.
class EventHeap {
 public:
  /// Adds `e`. kAge says what is known of its number against the pending events' (see Age);
  /// when something is, comparing times is enough.
  template <Age kAge = Age::kAny>
  [[gnu::always_inline]] void push(const CalendarEntry& e) {
    if (small_) {
      // Latest first, earliest at the back: the new event, the latest of any equal times,
      // goes behind the later ones; those earlier move one place back as it passes them.
      size_t i = ++few_n_;
      while (i > 1 && !before<kAge>(e, few_[i - 1])) {
        few_[i] = few_[i - 1];
        --i;
      }
      few_[i] = e;
      if (few_n_ > kSmallMax) [[unlikely]] to_heap();
      return;
    }
    if (top_removed_) {
      // Most events schedule one follow-up: put it where the removed top was and sift it down,
      // one pass through the heap instead of two.
      top_removed_ = false;
      sift_down<kAge>(e);
      return;
    }
    heap_.push_back(e);
    rise<kAge>(heap_.size() - 1, e);
  }
  /// push<Age::kNewest>(e) in the common case, small enough to inline: false (and nothing done)
  /// unless the events are few, in the sorted array, and there is room for one more.
  [[gnu::always_inline]] bool push_few(const CalendarEntry& e) {
    if (few_n_ >= few_max_) return false;
    size_t i = ++few_n_;
    while (few_[i - 1].t <= e.t) {  // stops at the sentinel at the latest
      few_[i] = few_[i - 1];
      --i;
    }
    few_[i] = e;
    return true;
  }
  /// push<Age::kOldest>(e) while small with room (see push_few), inlined.
  [[gnu::always_inline]] void push_oldest_few(const CalendarEntry& e) {
    size_t i = ++few_n_;
    while (few_[i - 1].t < e.t) {  // stops at the sentinel at the latest
      few_[i] = few_[i - 1];
      --i;
    }
    few_[i] = e;
  }
  bool has_room_few() const { return small_ && few_n_ < kSmallMax; }
  /// A guess at the earliest event, without a branch: exact while small, anything otherwise
  /// (for prefetching, never for correctness; see is_small).
  const CalendarEntry& guess_top() const { return few_[few_n_]; }
  /// The same for the event after the earliest.
  const CalendarEntry& guess_second() const { return few_[few_n_ - (few_n_ > 0)]; }
  /// The earliest event; the calendar must not be empty.
  const CalendarEntry& top() {
    if (small_) return few_[few_n_];
    settle();
    return heap_.front();
  }
  /// Removes the earliest event (in a heap lazily: the next push may take its place).
  void pop() {
    if (small_) {
      --few_n_;
      return;
    }
    settle();
    top_removed_ = true;
    if (heap_.size() < kHeapMin) to_small();
  }
  bool empty() {
    if (small_) return few_n_ == 0;
    settle();
    return heap_.empty();
  }
  size_t size() const { return small_ ? few_n_ : heap_.size() - (top_removed_ ? 1 : 0); }
  /// The size, counting a lazily removed top (cheaper; for thresholds).
  size_t raw_size() const { return small_ ? few_n_ : heap_.size(); }
  bool is_small() const { return small_; }
  void clear() {
    heap_.clear();
    few_n_ = 0;
    top_removed_ = false;
    small_ = true;
    few_max_ = few_allowed_ ? kSmallMax : 0;
  }
  /// Whether push_few may take events (the calendar's buckets turn it off).
  void allow_few(bool allowed) {
    few_allowed_ = allowed;
    few_max_ = allowed && small_ ? kSmallMax : 0;
  }
  /// Calls f(entry) for every pending event, in no particular order (for snapshots, not runs).
  template <class F>
  void for_each_pending(F f) const {
    for (size_t i = 1; i <= few_n_; ++i) f(few_[i]);
    for (size_t i = top_removed_ ? 1 : 0; i < heap_.size(); ++i) f(heap_[i]);
  }

 private:
  static constexpr size_t kArity = 4;
  // Few pending events are kept sorted, latest first (shifting a few entries beats sifting
  // through a heap); many go in the heap. The gap between the two sizes keeps it from
  // switching back and forth.
  static constexpr size_t kSmallMax = 24, kHeapMin = 8;

  void to_heap() {
    heap_.assign(few_ + 1, few_ + 1 + few_n_);
    std::reverse(heap_.begin(), heap_.end());  // earliest first is a valid heap
    few_n_ = 0;
    small_ = false;
    few_max_ = 0;
  }
  void to_small() {
    settle();
    std::sort(heap_.begin(), heap_.end(), [](const CalendarEntry& x, const CalendarEntry& y) { return before(y, x); });
    few_n_ = heap_.size();
    std::copy(heap_.begin(), heap_.end(), few_ + 1);
    heap_.clear();
    small_ = true;
    few_max_ = few_allowed_ ? kSmallMax : 0;
  }
  // Whether x comes before y. When x is known to be newer (older) than y, it comes first only
  // on an earlier (not later) time: comparing the times is enough.
  template <Age kAge = Age::kAny>
  static bool before(const CalendarEntry& x, const CalendarEntry& y) {
    if constexpr (kAge == Age::kNewest) return x.t < y.t;
    if constexpr (kAge == Age::kOldest) return x.t <= y.t;
    return x.t < y.t || (x.t == y.t && x.seq_kind < y.seq_kind);
  }
  // The same without branches: choosing between two children is a coin toss the branch
  // predictor loses half the time, which dominated the cost of large calendars.
  static size_t before_bit(const CalendarEntry& x, const CalendarEntry& y) {
    return static_cast<size_t>((x.t < y.t) | ((x.t == y.t) & (x.seq_kind < y.seq_kind)));
  }
  // Puts `e` at the hole i or above it, moving later parents down.
  template <Age kAge>
  void rise(size_t i, const CalendarEntry e) {
    while (i > 0) {
      const size_t parent = (i - 1) / kArity;
      if (!before<kAge>(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  // Puts `e` in the root's place: the hole first sinks to a leaf along the smallest children,
  // then `e` rises from there (Floyd's bottom-up heap; a new event usually belongs near the
  // bottom, so it rises little). Four children a node halve the depth, and the smallest of four
  // is found without branches.
  template <Age kAge>
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
    rise<kAge>(i, e);
  }

  // Completes a lazy pop.
  void settle() {
    if (!top_removed_) return;
    top_removed_ = false;
    const CalendarEntry last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down<Age::kAny>(last);
  }

  // While small: the events in few_[1..few_n_], sorted latest first, behind a sentinel that no
  // time passes (a NaN compares false with anything).
  CalendarEntry few_[kSmallMax + 2] = {{std::numeric_limits<double>::quiet_NaN(), ~uint64_t{0}, 0, 0}};
  size_t few_n_ = 0;
  size_t few_max_ = kSmallMax;  // push_few's room: kSmallMax while small and allowed, else 0
  bool few_allowed_ = true;
  std::vector<CalendarEntry> heap_;    // while not small: the heap
  bool top_removed_ = false;  // heap_[0] is popped but still stands there
  bool small_ = true;         // the events are in few_ (few of them), not in heap_
};

/// The calendar. While few events are pending, all of them are in an EventHeap. With many, a
/// window of buckets spreads them over time slices (a calendar queue, as in Brown 1988, with the
/// ladder queue's unsorted far list of Tang et al. 2005): a push appends to its slice's bucket,
/// the earliest non-empty bucket is moved into the heap when the heap runs empty, and events
/// beyond the window wait unsorted in a far list until the window is used up and is rebuilt
/// around them. Each event is thus moved a constant number of times and the heap stays small,
/// so the cost per event does not grow with the number pending. The order is exactly (time,
/// sequence number) whatever the structure: which bucket holds an event is a monotone function
/// of its time, and the heap orders what it holds.
class Calendar {
 public:
  /// Schedules an event at time t.
  [[gnu::always_inline]] void push(double t, uint8_t kind, uint32_t a, uint32_t b) {
    const CalendarEntry e{t, next_seq_++ << 8 | kind, a, b};
    if (near_.push_few(e)) [[likely]] return;  // few events, buckets off
    if (buckets_on_ && push_bucket(e)) return;  // many events: usually into a bucket
    push_more(e);
  }
  /// The earliest event; the calendar must not be empty.
  [[gnu::always_inline]] const CalendarEntry& top() { return near_.top(); }
  /// See EventHeap::guess_top. The guesses are right while the near events are few (always so
  /// when buckets are on), worthless while they are in the heap.
  bool guesses_right() const { return near_.is_small(); }
  const CalendarEntry& guess_top() const { return near_.guess_top(); }
  const CalendarEntry& guess_second() const { return near_.guess_second(); }
  /// Removes the earliest event.
  [[gnu::always_inline]] void pop() {
    near_.pop();
    if (buckets_on_) [[unlikely]] {
      if (--count_ < kBucketsOff) [[unlikely]] {
        stop_buckets();
      } else if (near_.size() == 0) {
        refill();
      }
    }
  }
  // The heap is never empty while anything is pending (pop refills it from the buckets).
  [[gnu::always_inline]] bool empty() { return near_.empty(); }
  size_t size() const { return buckets_on_ ? count_ : near_.size(); }
  /// Calls f(entry) for every pending event, in no particular order (for snapshots, not runs).
  template <class F>
  void for_each_pending(F f) const {
    near_.for_each_pending(f);
    for (uint32_t h : head_)
      for (uint32_t n = h; n != kNil; n = pool_[n].next) f(pool_[n].e);
    for (const CalendarEntry& e : far_) f(e);
  }

 private:
  static constexpr uint32_t kNil = 0xffffffffu;
  // place() for the common case, inlined: an event for a bucket when a node is free; false
  // (nothing done) otherwise.
  [[gnu::always_inline]] bool push_bucket(const CalendarEntry& e) {
    const double x = (e.t - start_) * inv_width_;
    if (!(x >= opened_ && x < end_) || free_ == kNil) return false;
    const size_t b = static_cast<size_t>(x);
    const uint32_t n = free_;
    free_ = pool_[n].next;
    pool_[n] = Node{e, head_[b]};
    head_[b] = n;
    ++count_;
    return true;
  }
  [[gnu::noinline]] void push_more(const CalendarEntry& e) {
    if (buckets_on_) {
      ++count_;
      place<Age::kNewest>(e);
      return;
    }
    near_.push<Age::kNewest>(e);
    if (!near_.is_small() && near_.raw_size() > buckets_at_) [[unlikely]] start_buckets();
  }
  // Buckets start above kBucketsOn pending events and stop below kBucketsOff; between the two the
  // structure stays as it is, so that it does not switch back and forth.
  static constexpr size_t kBucketsOn = 24, kBucketsOff = 12;
  struct Node {
    CalendarEntry e;
    uint32_t next;
  };

  static bool earlier(const CalendarEntry& x, const CalendarEntry& y) {
    return x.t < y.t || (x.t == y.t && x.seq_kind < y.seq_kind);
  }
  // Where an event goes, by x = (t - start) / width: below the next bucket to open, into the
  // heap; within the window, into bucket floor(x); beyond it, into the far list. x grows with t
  // (floating-point subtraction and multiplication by a positive number are monotone).
  template <Age kAge>
  [[gnu::always_inline]] void place(const CalendarEntry& e) {
    const double x = (e.t - start_) * inv_width_;
    if (x < opened_) {
      near_.push<kAge>(e);
    } else if (x < end_) {
      const size_t b = static_cast<size_t>(x);
      uint32_t n;
      if (free_ != kNil) {
        n = free_;
        free_ = pool_[n].next;
      } else {
        n = static_cast<uint32_t>(pool_.size());
        pool_.emplace_back();
      }
      pool_[n] = Node{e, head_[b]};
      head_[b] = n;
    } else {
      far_.push_back(e);
    }
  }
  // The heap ran empty: moves the earliest non-empty bucket into it, rebuilding the window from
  // the far list when every bucket is used up.
  void refill() {
    for (;;) {
      while (next_bucket_ < head_.size()) {
        uint32_t n = head_[next_bucket_];
        head_[next_bucket_++] = kNil;
        opened_ = double(next_bucket_);
        if (n == kNil) continue;
        while (n != kNil) {  // newest first (pushed at the head), into an empty heap
          if (near_.has_room_few()) [[likely]] {
            near_.push_oldest_few(pool_[n].e);
          } else {
            near_.push<Age::kOldest>(pool_[n].e);
          }
          const uint32_t next = pool_[n].next;
          pool_[n].next = free_;
          free_ = n;
          n = next;
        }
        return;
      }
      if (!rebuild()) return;  // everything is in the heap now
    }
  }
  // Spreads the far list over a new window of twice as many buckets as events, sized so that its
  // dense part holds about four events per bucket (measured faster than one or sixteen): the
  // width is four times the span of the earliest half divided by its count. Events beyond
  // the window stay far. When the times are too concentrated to spread (half of them tied, or
  // infinite), buckets are abandoned: everything goes to the heap, and buckets are retried only
  // at twice as many pending events. False in that case.
  bool rebuild() {
    const size_t m = far_.size();
    const size_t half = m / 2;
    times_.clear();
    for (const CalendarEntry& e : far_) times_.push_back(e.t);
    std::nth_element(times_.begin(), times_.begin() + half, times_.end());
    const double mid = times_[half];
    const double lo = *std::min_element(times_.begin(), times_.begin() + half + 1);
    const double span = mid - lo;
    if (!(span > 0) || !(span < 1e300) || half < 4) {
      abandon_buckets();
      return false;
    }
    start_ = lo;
    inv_width_ = double(half) / (4 * span);
    head_.assign(2 * m, kNil);
    next_bucket_ = 0;
    opened_ = 0;
    end_ = double(head_.size());
    std::vector<CalendarEntry> all;
    all.swap(far_);
    // In order of number, so that each bucket's list, pushed at its head, runs from newest to
    // oldest (refill relies on it), and the far list stays in order of number.
    for (const CalendarEntry& e : all) place<Age::kAny>(e);
    spare_.swap(all);  // keeps its capacity for the next rebuild
    spare_.clear();
    return true;
  }
  void start_buckets() {
    buckets_on_ = true;
    near_.allow_few(false);
    count_ = near_.size();
    far_.clear();
    near_.for_each_pending([&](const CalendarEntry& e) { far_.push_back(e); });
    std::sort(far_.begin(), far_.end(),
              [](const CalendarEntry& x, const CalendarEntry& y) { return x.seq_kind < y.seq_kind; });
    near_.clear();
    head_.clear();
    next_bucket_ = 0;
    opened_ = end_ = 0;
    refill();
  }
  void abandon_buckets() {
    for (const CalendarEntry& e : far_) near_.push(e);
    far_.clear();
    head_.clear();
    next_bucket_ = 0;
    opened_ = end_ = 0;
    buckets_on_ = false;
    near_.allow_few(true);
    buckets_at_ = 2 * count_;
  }
  void stop_buckets() {
    // Everything into the heap; the buckets' nodes are kept for next time.
    for (uint32_t& h : head_)
      for (uint32_t n = std::exchange(h, kNil); n != kNil;) {
        near_.push(pool_[n].e);
        const uint32_t next = pool_[n].next;
        pool_[n].next = free_;
        free_ = n;
        n = next;
      }
    abandon_buckets();
    buckets_at_ = kBucketsOn;
  }

  EventHeap near_;                  // the earliest events (all of them while buckets are off)
  std::vector<uint32_t> head_;      // per bucket: its first node, kNil when empty
  std::vector<Node> pool_;          // bucket nodes, linked through next
  uint32_t free_ = kNil;            // unused nodes
  std::vector<CalendarEntry> far_;  // beyond the window, in order of number
  std::vector<double> times_;       // rebuild's scratch
  std::vector<CalendarEntry> spare_;
  size_t next_bucket_ = 0;          // buckets below it have been moved into the heap
  double start_ = 0, inv_width_ = 0;
  double opened_ = 0, end_ = 0;     // next_bucket_ and the bucket count, as x values
  size_t count_ = 0;
  size_t buckets_at_ = kBucketsOn;
  uint64_t next_seq_ = 0;
  bool buckets_on_ = false;
};

}  // namespace linetwin::sim
