// The event calendar, ordered by (time, sequence number). The sequence number makes the order of
// simultaneous events deterministic: first scheduled, first processed. Up to 24 pending events
// are kept in slots, in order through a list of slot numbers, where a new event's place is counted
// without branches; more in time buckets (a calendar queue) that feed those slots, or, when their
// times cannot be spread over buckets, in a 4-ary min-heap whose pop is completed lazily, so that
// the event it makes can take the root's place, and whose root is refilled bottom-up (Floyd).
// Standard library and GCC's vector extensions (SSE2, which every x86-64 has; other targets
// compile them to scalar code).
#pragma once
#include <algorithm>
#include <cassert>
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

/// Events ordered by (time, sequence number): ordered slots while few, a 4-ary heap when many.
/// The calendar's near part; entries come numbered.
class EventHeap {
 public:
  EventHeap() { clear_few(); }
  /// Adds `e`. kAge says what is known of its number against the pending events' (see Age);
  /// when something is, comparing times is enough.
  template <Age kAge = Age::kAny>
  [[gnu::always_inline]] void push(const CalendarEntry& e) {
    if (small_) {
      if (few_n_ < kSmallMax) [[likely]] return insert_few<kAge>(e);
      to_heap();
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
  /// unless the events are few, in the slots, and there is room for one more.
  [[gnu::always_inline]] bool push_few(const CalendarEntry& e) {
    if (few_n_ >= few_max_) return false;
    insert_few<Age::kNewest>(e);
    return true;
  }
  /// Fills the near events, which must be small and empty (as they are whenever the calendar
  /// refills them), with a run of events each numbered before all those before it (a calendar
  /// bucket, newest first): next() gives a pointer to the next one, nullptr after the last. The
  /// i-th goes into slot i and is counted only against the i before it; one of the same time as
  /// the one before goes just before it without counting (ties come in runs when times do, as
  /// with constant process times). The order is kept in a register meanwhile.
  template <class Next>
  [[gnu::always_inline]] void fill_oldest(Next&& next) {
    assert(small_ && few_n_ == 0);
    Run run;
    // Written out, so that each step's test for the run's end is a branch of its own.
    bool more = run_step<2>(run, next) && run_step<2>(run, next) && run_step<4>(run, next) &&
                run_step<4>(run, next) && run_step<8>(run, next) && run_step<8>(run, next) &&
                run_step<8>(run, next) && run_step<8>(run, next);
    while (more && run.i < kGroupA) more = run_step<kGroupA>(run, next);
    order_a_ = run.order;
    head_a_ = run.order & 15;
    free_ = ((1u << kSmallMax) - 1) & ~((1u << run.i) - 1);
    few_n_ = run.i;
    if (!more) return;
    while (const CalendarEntry* e = next()) push<Age::kOldest>(*e);  // more than 16: rare
  }
  /// A guess at the earliest event, without a branch: exact while small with at most 16 events,
  /// anything otherwise (for prefetching, never for correctness; see is_small).
  const CalendarEntry& guess_top() const { return few_[head_a_]; }
  /// The earliest event; the calendar must not be empty.
  const CalendarEntry& top() {
    if (small_) return few_[top_slot()];
    settle();
    return heap_.front();
  }
  /// Takes the earliest event into `out` if there is one at or before `limit` (a heap's lazily:
  /// the next push may take its place); false, and nothing done, otherwise. One look at the order
  /// for the test, the copy and the removal.
  [[gnu::always_inline]] bool pop_until(double limit, CalendarEntry& out) {
    if (small_) [[likely]] {
      const unsigned slot = top_slot();
      if (!(few_t_[slot] <= limit)) return false;  // none by then, or none at all: a free slot's time is NaN
      out = few_[slot];
      remove_few(slot);
      return true;
    }
    settle();
    if (heap_.empty() || heap_.front().t > limit) return false;
    out = heap_.front();
    top_removed_ = true;
    if (heap_.size() < kHeapMin) to_small();
    return true;
  }
  /// Removes the earliest event (in a heap lazily: the next push may take its place).
  void pop() {
    if (small_) return remove_few(top_slot());
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
  /// size() == 0 while small; a heap is never empty (it turns small first).
  bool small_and_empty() const { return few_n_ == 0 && small_; }
  void clear() {
    heap_.clear();
    clear_few();
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
    for_each_few(f);
    for (size_t i = top_removed_ ? 1 : 0; i < heap_.size(); ++i) f(heap_[i]);
  }

 private:
  static constexpr size_t kArity = 4;
  // Few pending events are kept in slots, ordered through lists of their slot numbers (no entry
  // moves; finding a new event's place is a count without branches); many go in the heap. The
  // gap between the two sizes keeps it from switching back and forth. The slots are two groups,
  // each with its own order: the first 16 (group A), and 8 more for when those are taken (group
  // B), whose earliest event is compared with the first group's only while the second holds any.
  static constexpr size_t kSmallMax = 24, kHeapMin = 8;
  static constexpr unsigned kGroupA = 16;
  static constexpr uint32_t kGroupAFree = (1u << kGroupA) - 1;  // free_ when group A is empty
  static constexpr uint32_t kGroupBFree = ((1u << kSmallMax) - 1) & ~kGroupAFree;  // ... group B
  static constexpr uint32_t kAbove4 = ((1u << kSmallMax) - 1) & ~15u;  // slots 4.. free: these bits
  static constexpr double kFree = std::numeric_limits<double>::quiet_NaN();  // a free slot's time
  using V2d = double __attribute__((vector_size(16)));
  using V2m = decltype(V2d{} < V2d{});

  // The slot of the earliest of the few events.
  [[gnu::always_inline]] unsigned top_slot() const {
    if (free_ >= kGroupBFree) [[likely]] return head_a_;  // the second group is empty
    return top_slot_ab();
  }
  [[gnu::noinline]] unsigned top_slot_ab() const {
    const unsigned a = head_a_;
    const unsigned b = kGroupA + (order_b_ & 15);
    return (free_ & kGroupAFree) == kGroupAFree || before(few_[b], few_[a]) ? b : a;
  }
  // Frees `slot`, which holds the earliest event of its group (the group's order starts with it).
  [[gnu::always_inline]] void remove_few(unsigned slot) {
    few_t_[slot] = kFree;
    free_ |= 1u << slot;
    const bool in_a = slot < kGroupA;
    order_a_ = in_a ? order_a_ >> 4 : order_a_;
    head_a_ = order_a_ & 15;
    order_b_ = in_a ? order_b_ : order_b_ >> 4;
    --few_n_;
  }
  // How many of the events in slots [kFrom, kTo) come before e: those of earlier time, and of
  // equal time those older (kNewest: all of them; kOldest: none; kAny: by number). A free slot's
  // time, NaN, compares false with anything. Counted over every slot, two at a time, without
  // branches: where a new event goes is a coin toss that a search loop's exit would lose once
  // per event.
  template <Age kAge, size_t kFrom, size_t kTo>
  [[gnu::always_inline]] unsigned rank_few(const CalendarEntry& e) const {
    if constexpr (kAge == Age::kAny) {
      unsigned r = 0;
      for (size_t j = kFrom; j < kTo; ++j)
        r += (few_t_[j] < e.t) | ((few_t_[j] == e.t) & (few_[j].seq_kind < e.seq_kind));
      return r;
    } else {
      // Two sums, so that the additions form two chains of half the length: the next event's
      // place waits on them.
      const V2d key = {e.t, e.t};
      V2m acc[2] = {{0, 0}, {0, 0}};
      for (size_t j = kFrom; j < kTo; j += 2) {
        V2d x;
        __builtin_memcpy(&x, few_t_ + j, sizeof x);
        if constexpr (kAge == Age::kNewest) acc[(j / 2) & 1] += x <= key; else acc[(j / 2) & 1] += x < key;
      }
      const V2m sum = acc[0] + acc[1];
      return static_cast<unsigned>(-(sum[0] + sum[1]));  // true is -1
    }
  }
  // Puts slot number k at place r of an order (r < the list's room).
  template <class U>
  static U insert_at(U order, unsigned r, unsigned k) {
    const U below = (U{1} << (4 * r)) - 1;
    return (order & below) | ((order & ~below) << 4) | (U{k} << (4 * r));
  }
  // A run of fill_oldest: the first group's order, the time and place of the last event put, and
  // the number put (the next slot).
  struct Run {
    uint64_t order = 0;
    double tie_t = kFree;
    unsigned tie_r = 0, i = 0;
  };
  // One step of fill_oldest: only slots below kLow hold events. False (nothing done) at the end.
  template <size_t kLow, class Next>
  [[gnu::always_inline]] bool run_step(Run& run, Next& next) {
    const CalendarEntry* e = next();
    if (!e) return false;
    const double t = e->t;
    const unsigned r = t == run.tie_t ? run.tie_r : rank_few<Age::kOldest, 0, kLow>(*e);
    run.tie_t = t;
    run.tie_r = r;
    run.order = insert_at(run.order, r, run.i);
    few_[run.i] = *e;
    few_t_[run.i] = t;
    ++run.i;
    return true;
  }
  // Puts e in a free slot, the first group's while it has room, and its slot number at its place
  // in the group's order; needs a free slot.
  template <Age kAge>
  [[gnu::always_inline]] void insert_few(const CalendarEntry& e) {
    if (!(free_ & kGroupAFree)) [[unlikely]] return insert_few_b<kAge>(e);
    // While only the first 4 slots can hold events (an M/M/1 queue never has more than 2 pending)
    // only those are counted.
    const unsigned r =
        (free_ & kAbove4) == kAbove4 ? rank_few<kAge, 0, 4>(e) : rank_few<kAge, 0, kGroupA>(e);
    const unsigned slot = static_cast<unsigned>(__builtin_ctz(free_));
    order_a_ = insert_at(order_a_, r, slot);
    // The same as r == 0, but known sooner: the next event popped waits on it, the one after on r.
    if constexpr (kAge == Age::kNewest) {
      head_a_ = !(few_t_[head_a_] <= e.t) ? slot : head_a_;  // a free head slot's NaN: none before
    } else if constexpr (kAge == Age::kOldest) {
      head_a_ = !(few_t_[head_a_] < e.t) ? slot : head_a_;
    } else {
      head_a_ = r == 0 ? slot : head_a_;
    }
    free_ &= free_ - 1;  // the lowest free slot is the one taken
    put(slot, e);
    few_t_[slot] = e.t;
    ++few_n_;
  }
  // Writes e into a slot field by field: copied whole, a new event went through the stack, where
  // its two halves, stored apart, were loaded as one (a load that waits for both stores).
  [[gnu::always_inline]] void put(unsigned slot, const CalendarEntry& e) {
    CalendarEntry& to = few_[slot];
    to.t = e.t;
    to.seq_kind = e.seq_kind;
    to.a = e.a;
    to.b = e.b;
  }
  // The same into the second group, out of line (the first is full).
  template <Age kAge>
  [[gnu::noinline]] void insert_few_b(const CalendarEntry& e) {
    const unsigned r = rank_few<kAge, kGroupA, kSmallMax>(e);
    const unsigned slot = static_cast<unsigned>(__builtin_ctz(free_));
    order_b_ = insert_at(order_b_, r, slot - kGroupA);
    free_ &= free_ - 1;
    few_[slot] = e;
    few_t_[slot] = e.t;
    ++few_n_;
  }
  template <class F>
  void for_each_few(F f) const {
    const int n_a = kGroupA - __builtin_popcount(free_ & kGroupAFree);
    const int n_b = static_cast<int>(few_n_) - n_a;
    for (int k = 0; k < n_a; ++k) f(few_[(order_a_ >> (4 * k)) & 15]);
    for (int k = 0; k < n_b; ++k) f(few_[kGroupA + ((order_b_ >> (4 * k)) & 15)]);
  }
  void clear_few() {
    std::fill(few_t_, few_t_ + kSmallMax, kFree);
    free_ = (1u << kSmallMax) - 1;
    order_a_ = 0;
    head_a_ = 0;
    order_b_ = 0;
    few_n_ = 0;
  }
  void to_heap() {
    // Earliest first is a valid heap; each group comes in order, so merging them is enough.
    CalendarEntry a[kGroupA], b[kSmallMax - kGroupA];
    const size_t in_a = kGroupA - static_cast<size_t>(__builtin_popcount(free_ & kGroupAFree));
    size_t n_a = 0, n_b = 0;
    for_each_few([&](const CalendarEntry& e) {  // the first group's, then the second's
      if (n_a < in_a) {
        a[n_a++] = e;
      } else {
        b[n_b++] = e;
      }
    });
    heap_.resize(n_a + n_b);
    std::merge(a, a + n_a, b, b + n_b, heap_.begin(),
               [](const CalendarEntry& x, const CalendarEntry& y) { return before(x, y); });
    clear_few();
    small_ = false;
    few_max_ = 0;
  }
  void to_small() {
    settle();
    std::sort(heap_.begin(), heap_.end(), [](const CalendarEntry& x, const CalendarEntry& y) { return before(x, y); });
    clear_few();
    for (const CalendarEntry& e : heap_) {  // earliest first, into slots 0, 1, ... (fewer than 16)
      few_[few_n_] = e;
      few_t_[few_n_] = e.t;
      order_a_ |= uint64_t{few_n_} << (4 * few_n_);  // the earliest in slot 0: head_a_ stays 0
      free_ &= free_ - 1;
      ++few_n_;
    }
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

  // What every event reads first, together. While small: each group's order, its slots' numbers
  // within the group, four bits each, the earliest event's in the lowest bits; the events in
  // slots of few_, their times also in few_t_ (kFree when free).
  uint64_t order_a_ = 0;      // slots [0, kGroupA)
  unsigned head_a_ = 0;       // order_a_ & 15, kept apart (see insert_few)
  uint32_t order_b_ = 0;      // slots [kGroupA, kSmallMax)
  uint32_t free_ = (1u << kSmallMax) - 1;  // the free slots, one bit each
  size_t few_n_ = 0;          // events in both groups
  size_t few_max_ = kSmallMax;  // push_few's room: kSmallMax while small and allowed, else 0
  bool few_allowed_ = true;
  bool top_removed_ = false;  // heap_[0] is popped but still stands there
  bool small_ = true;         // the events are in few_ (few of them), not in heap_
  std::vector<CalendarEntry> heap_;    // while not small: the heap
  alignas(16) double few_t_[kSmallMax];
  CalendarEntry few_[kSmallMax] = {};
};

/// The calendar. While few events are pending, all of them are in an EventHeap. With many, a
/// window of buckets spreads them over time slices (a calendar queue, as in Brown 1988, with the
/// ladder queue's unsorted far list of Tang et al. 2005): a push appends to its slice's bucket,
/// the earliest non-empty bucket is moved into the near events when they run out, and events
/// beyond the window wait unsorted in a far list until the window is used up and is rebuilt
/// around them. Each event is thus moved a constant number of times and the heap stays small,
/// so the cost per event does not grow with the number pending. The order is exactly (time,
/// sequence number) whatever the structure: which bucket holds an event is a monotone function
/// of its time, and the heap orders what it holds.
class alignas(64) Calendar {
 public:
  /// Schedules an event at time t.
  [[gnu::always_inline]] void push(double t, uint8_t kind, uint32_t a, uint32_t b) {
    const CalendarEntry e{t, next_seq_++ << 8 | kind, a, b};
    if (buckets_on_) {
      if (push_bucket(e)) [[likely]] return;  // many events: usually into a bucket
    } else if (near_.push_few(e)) [[likely]] {  // few events
      return;
    }
    push_more(e);
  }
  /// The earliest event; the calendar must not be empty.
  [[gnu::always_inline]] const CalendarEntry& top() { return near_.top(); }
  /// See EventHeap::guess_top. The guesses are right while the near events are few (always so
  /// when buckets are on), worthless while they are in the heap.
  bool guesses_right() const { return near_.is_small(); }
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
  size_t size() const { return buckets_on_ ? count_ + near_.size() : near_.size(); }
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
  // The near events ran out while buckets are on: refills them, or stops the buckets.
  [[gnu::always_inline]] void after_pop() {
    if (buckets_on_ && near_.small_and_empty()) [[unlikely]] {
      if (count_ < kBucketsOff) [[unlikely]] {
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
      if (!place<Age::kNewest>(e)) ++count_;
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
    return false;
  }
  // The near events ran out: moves the earliest non-empty bucket in, rebuilding the window from
  // the far list when every bucket is used up.
  void refill() {
    for (;;) {
      while (next_bucket_ < head_.size()) {
        uint32_t n = head_[next_bucket_];
        head_[next_bucket_++] = kNil;
        opened_ = double(next_bucket_);
        if (n == kNil) continue;
        // Newest first (pushed at the head), so each is numbered before those put before it.
        uint32_t free = free_;  // the nodes are freed as they are read, with the list in a register
        size_t moved = 0;
        near_.fill_oldest([&]() -> const CalendarEntry* {
          if (n == kNil) return nullptr;
          Node& node = pool_[n];
          const uint32_t after = node.next;
          node.next = free;
          free = n;
          n = after;
          ++moved;
          return &node.e;
        });
        free_ = free;
        count_ -= moved;
        return;
      }
      if (!rebuild()) return;  // everything is in the heap now
    }
  }
  // Spreads the far list over a new window of twice as many buckets as events, sized so that its
  // dense part holds about eight events per bucket: the width is eight times the span of the
  // earliest half divided by its count. (The near events' slots cost the same however many they
  // hold, so fewer, fuller refills are cheaper; with the sorted array before them, four per bucket
  // was best.) Events beyond the window stay far. When the times are too concentrated to spread
  // (half of them tied, or infinite), buckets are abandoned: everything goes to the heap, and
  // buckets are retried only at twice as many pending events. False in that case.
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
    inv_width_ = double(half) / (8 * span);
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

  // What pushing and popping read first, together, then the near events' own.
  uint64_t next_seq_ = 0;
  size_t count_ = 0;                // while buckets are on: the events in them and in the far list
  double start_ = 0, inv_width_ = 0;
  double opened_ = 0, end_ = 0;     // next_bucket_ and the bucket count, as x values
  uint32_t free_ = kNil;            // unused nodes
  bool buckets_on_ = false;
  size_t next_bucket_ = 0;          // buckets below it have been moved into near_
  std::vector<uint32_t> head_;      // per bucket: its first node, kNil when empty
  std::vector<Node> pool_;          // bucket nodes, linked through next
  EventHeap near_;                  // the earliest events (all of them while buckets are off)
  std::vector<CalendarEntry> far_;  // beyond the window, in order of number
  std::vector<double> times_;       // rebuild's scratch
  std::vector<CalendarEntry> spare_;
  size_t buckets_at_ = kBucketsOn;
};

}  // namespace linetwin::sim
