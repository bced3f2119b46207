// The event calendar's near events (private to sim/): the earliest pending events, ordered by
// (time, sequence number), in 24 slots that never move while they are few, in a 4-ary min-heap
// when many. A new event's place among the slots is counted without branches; the heap's pop is
// completed lazily, so that the event it makes can take the root's place, and its root is
// refilled bottom-up (Floyd). Standard library and GCC's vector extensions (SSE2, which every
// x86-64 has; other targets compile them to scalar code).
#pragma once
#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace linetwin::sim::detail {

/// One pending event: 24 bytes, so that the slots' events stay few cache lines.
struct CalendarEntry {
  double t;
  uint64_t seq_kind;  // sequence number << 8 | kind (the kernel's EventType)
  uint32_t subject;   // whose event it is: a machine, source, transport or planned job
  uint32_t extra;     // a machine's event: its station (known without a load); a transport's:
                      // the item it carries
  uint8_t kind() const { return static_cast<uint8_t>(seq_kind & 0xff); }
  uint64_t seq() const { return seq_kind >> 8; }
};

/// What is known of an event's number against those already in a queue it joins.
enum class Age : uint8_t {
  kAny,
  kNewest,  // numbered after every event in the queue: it follows any of equal time
  kOldest,  // numbered before every event in the queue: it precedes any of equal time
};

/// The calendar's near events, ordered by (time, sequence number): in slots while they are few, in
/// a 4-ary heap when many. Entries come numbered.
class NearEvents {
 public:
  NearEvents() { clear_slots(); }
  /// Adds `e`. kAge says what is known of its number against the pending events' (see Age);
  /// when something is, comparing times is enough.
  template <Age kAge = Age::kAny>
  [[gnu::always_inline]] void push(const CalendarEntry& e) {
    if (in_slots_) {
      if (slotted_ < kSlots) [[likely]] return insert_in_slots<kAge>(e);
      slots_to_heap();
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
  /// unless the events are in the slots, pushes to them are allowed, and one is free.
  [[gnu::always_inline]] bool push_to_slots(const CalendarEntry& e) {
    if (slotted_ >= slot_push_limit_) return false;
    insert_in_slots<Age::kNewest>(e);
    return true;
  }
  /// Fills the near events, which must be in slots and empty (as they are whenever the calendar
  /// refills them), with a run of events each numbered before all those before it (a calendar
  /// bucket, newest first): next() gives a pointer to the next one, nullptr after the last. The
  /// i-th goes into slot i and is counted only against the i before it; one of the same time as
  /// the one before goes just before it without counting (ties come in runs when times do, as
  /// with constant process times). The order is kept in a register meanwhile.
  template <class Next>
  [[gnu::always_inline]] void fill_oldest(Next&& next) {
    assert(in_slots_ && slotted_ == 0);
    Run run;
    // Written out, so that each step's test for the run's end is a branch of its own.
    bool more = run_step<2>(run, next) && run_step<2>(run, next) && run_step<4>(run, next) &&
                run_step<4>(run, next) && run_step<8>(run, next) && run_step<8>(run, next) &&
                run_step<8>(run, next) && run_step<8>(run, next);
    while (more && run.i < kFirstGroup) more = run_step<kFirstGroup>(run, next);
    first_order_ = run.order;
    first_head_ = run.order & 15;
    free_slots_ = ((1u << kSlots) - 1) & ~((1u << run.i) - 1);
    slotted_ = run.i;
    if (!more) return;
    while (const CalendarEntry* e = next()) push<Age::kOldest>(*e);  // more than 16: rare
  }
  /// A guess at the earliest event, without a branch: exact while in slots with at most 16
  /// events, anything otherwise (for prefetching, never for correctness; see in_slots).
  const CalendarEntry& guess_top() const { return slot_event_[first_head_]; }
  /// The earliest event; the calendar must not be empty.
  const CalendarEntry& top() {
    if (in_slots_) return slot_event_[top_slot()];
    settle();
    return heap_.front();
  }
  /// Takes the earliest event into `out` if there is one at or before `limit` (a heap's lazily:
  /// the next push may take its place); false, and nothing done, otherwise. One look at the order
  /// for the test, the copy and the removal.
  [[gnu::always_inline]] bool pop_until(double limit, CalendarEntry& out) {
    if (in_slots_) [[likely]] {
      const unsigned slot = top_slot();
      // None by then, or none at all: a free slot's time is NaN.
      if (!(slot_time_[slot] <= limit)) return false;
      out = slot_event_[slot];
      remove_from_slot(slot);
      return true;
    }
    settle();
    if (heap_.empty() || heap_.front().t > limit) return false;
    out = heap_.front();
    top_removed_ = true;
    if (heap_.size() < kBackToSlotsBelow) heap_to_slots();
    return true;
  }
  /// Removes the earliest event (in a heap lazily: the next push may take its place).
  void pop() {
    if (in_slots_) return remove_from_slot(top_slot());
    settle();
    top_removed_ = true;
    if (heap_.size() < kBackToSlotsBelow) heap_to_slots();
  }
  bool empty() {
    if (in_slots_) return slotted_ == 0;
    settle();
    return heap_.empty();
  }
  size_t size() const { return in_slots_ ? slotted_ : heap_.size() - (top_removed_ ? 1 : 0); }
  /// The size, counting a lazily removed top (cheaper; for thresholds).
  size_t raw_size() const { return in_slots_ ? slotted_ : heap_.size(); }
  /// Whether the events are in the slots (else in the heap).
  bool in_slots() const { return in_slots_; }
  /// size() == 0 while in slots; a heap is never empty (its events go back to slots first).
  bool in_slots_and_empty() const { return slotted_ == 0 && in_slots_; }
  void clear() {
    heap_.clear();
    clear_slots();
    top_removed_ = false;
    in_slots_ = true;
    slot_push_limit_ = slot_push_allowed_ ? kSlots : 0;
  }
  /// Whether push_to_slots may take events (the calendar's buckets turn it off).
  void allow_push_to_slots(bool allowed) {
    slot_push_allowed_ = allowed;
    slot_push_limit_ = allowed && in_slots_ ? kSlots : 0;
  }
  /// Calls f(entry) for every pending event, in no particular order (for snapshots, not runs).
  template <class F>
  void for_each_pending(F f) const {
    for_each_in_slots(f);
    for (size_t i = top_removed_ ? 1 : 0; i < heap_.size(); ++i) f(heap_[i]);
  }

 private:
  static constexpr size_t kArity = 4;
  // Few pending events are kept in slots, ordered through lists of their slot numbers (no entry
  // moves; finding a new event's place is a count without branches); many go in the heap. The
  // gap between the two sizes keeps it from switching back and forth. The slots are two groups,
  // each with its own order: the first 16, and 8 more for when those are taken, whose earliest
  // event is compared with the first group's only while the second holds any.
  static constexpr size_t kSlots = 24, kBackToSlotsBelow = 8;
  static constexpr unsigned kFirstGroup = 16;
  // Masks of free_slots_: each is all set when the slots it covers are all free.
  static constexpr uint32_t kFirstGroupFree = (1u << kFirstGroup) - 1;
  static constexpr uint32_t kSecondGroupFree = ((1u << kSlots) - 1) & ~kFirstGroupFree;
  static constexpr uint32_t kBeyondFirst4 = ((1u << kSlots) - 1) & ~15u;
  static constexpr double kFreeSlotTime = std::numeric_limits<double>::quiet_NaN();  // a free slot's time
  using V2d = double __attribute__((vector_size(16)));
  using V2m = decltype(V2d{} < V2d{});

  // The slot of the earliest event in the slots.
  [[gnu::always_inline]] unsigned top_slot() const {
    if (free_slots_ >= kSecondGroupFree) [[likely]] return first_head_;  // the second group is empty
    return top_slot_of_both_groups();
  }
  [[gnu::noinline]] unsigned top_slot_of_both_groups() const {
    const unsigned first = first_head_;
    const unsigned second = kFirstGroup + (second_order_ & 15);
    const bool first_empty = (free_slots_ & kFirstGroupFree) == kFirstGroupFree;
    return first_empty || before(slot_event_[second], slot_event_[first]) ? second : first;
  }
  // Frees `slot`, which holds the earliest event of its group (the group's order starts with it).
  [[gnu::always_inline]] void remove_from_slot(unsigned slot) {
    slot_time_[slot] = kFreeSlotTime;
    free_slots_ |= 1u << slot;
    const bool in_first = slot < kFirstGroup;
    first_order_ = in_first ? first_order_ >> 4 : first_order_;
    first_head_ = first_order_ & 15;
    second_order_ = in_first ? second_order_ : second_order_ >> 4;
    --slotted_;
  }
  // How many of the events in slots [kFrom, kTo) come before e: those of earlier time, and of
  // equal time those older (kNewest: all of them; kOldest: none; kAny: by number). A free slot's
  // time, NaN, compares false with anything. Counted over every slot, two at a time, without
  // branches: where a new event goes is a coin toss that a search loop's exit would lose once
  // per event.
  template <Age kAge, size_t kFrom, size_t kTo>
  [[gnu::always_inline]] unsigned count_before(const CalendarEntry& e) const {
    if constexpr (kAge == Age::kAny) {
      unsigned r = 0;
      for (size_t j = kFrom; j < kTo; ++j)
        r += (slot_time_[j] < e.t) | ((slot_time_[j] == e.t) & (slot_event_[j].seq_kind < e.seq_kind));
      return r;
    } else {
      // Two sums, so that the additions form two chains of half the length: the next event's
      // place waits on them.
      const V2d key = {e.t, e.t};
      V2m acc[2] = {{0, 0}, {0, 0}};
      for (size_t j = kFrom; j < kTo; j += 2) {
        V2d x;
        __builtin_memcpy(&x, slot_time_ + j, sizeof x);
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
    double tie_t = kFreeSlotTime;
    unsigned tie_r = 0, i = 0;
  };
  // One step of fill_oldest: only slots below kLow hold events. False (nothing done) at the end.
  template <size_t kLow, class Next>
  [[gnu::always_inline]] bool run_step(Run& run, Next& next) {
    const CalendarEntry* e = next();
    if (!e) return false;
    const double t = e->t;
    const unsigned r = t == run.tie_t ? run.tie_r : count_before<Age::kOldest, 0, kLow>(*e);
    run.tie_t = t;
    run.tie_r = r;
    run.order = insert_at(run.order, r, run.i);
    slot_event_[run.i] = *e;
    slot_time_[run.i] = t;
    ++run.i;
    return true;
  }
  // Puts e in a free slot, the first group's while it has room, and its slot number at its place
  // in the group's order; needs a free slot.
  template <Age kAge>
  [[gnu::always_inline]] void insert_in_slots(const CalendarEntry& e) {
    if (!(free_slots_ & kFirstGroupFree)) [[unlikely]] return insert_in_second_group<kAge>(e);
    // While only the first 4 slots can hold events (an M/M/1 queue never has more than 2 pending)
    // only those are counted.
    const unsigned r = (free_slots_ & kBeyondFirst4) == kBeyondFirst4 ? count_before<kAge, 0, 4>(e)
                                                                      : count_before<kAge, 0, kFirstGroup>(e);
    const unsigned slot = static_cast<unsigned>(__builtin_ctz(free_slots_));
    first_order_ = insert_at(first_order_, r, slot);
    // The same as r == 0, but known sooner: the next event popped waits on it, the one after on r.
    if constexpr (kAge == Age::kNewest) {
      // A free head slot's time is NaN, which compares false: then none comes before.
      first_head_ = !(slot_time_[first_head_] <= e.t) ? slot : first_head_;
    } else if constexpr (kAge == Age::kOldest) {
      first_head_ = !(slot_time_[first_head_] < e.t) ? slot : first_head_;
    } else {
      first_head_ = r == 0 ? slot : first_head_;
    }
    free_slots_ &= free_slots_ - 1;  // the lowest free slot is the one taken
    put(slot, e);
    slot_time_[slot] = e.t;
    ++slotted_;
  }
  // Writes e into a slot field by field: copied whole, a new event went through the stack, where
  // its two halves, stored apart, were loaded as one (a load that waits for both stores).
  [[gnu::always_inline]] void put(unsigned slot, const CalendarEntry& e) {
    CalendarEntry& to = slot_event_[slot];
    to.t = e.t;
    to.seq_kind = e.seq_kind;
    to.subject = e.subject;
    to.extra = e.extra;
  }
  // The same into the second group, out of line (the first is full).
  template <Age kAge>
  [[gnu::noinline]] void insert_in_second_group(const CalendarEntry& e) {
    const unsigned r = count_before<kAge, kFirstGroup, kSlots>(e);
    const unsigned slot = static_cast<unsigned>(__builtin_ctz(free_slots_));
    second_order_ = insert_at(second_order_, r, slot - kFirstGroup);
    free_slots_ &= free_slots_ - 1;
    slot_event_[slot] = e;
    slot_time_[slot] = e.t;
    ++slotted_;
  }
  template <class F>
  void for_each_in_slots(F f) const {
    const int n_first = kFirstGroup - __builtin_popcount(free_slots_ & kFirstGroupFree);
    const int n_second = static_cast<int>(slotted_) - n_first;
    for (int k = 0; k < n_first; ++k) f(slot_event_[(first_order_ >> (4 * k)) & 15]);
    for (int k = 0; k < n_second; ++k) f(slot_event_[kFirstGroup + ((second_order_ >> (4 * k)) & 15)]);
  }
  void clear_slots() {
    std::fill(slot_time_, slot_time_ + kSlots, kFreeSlotTime);
    free_slots_ = (1u << kSlots) - 1;
    first_order_ = 0;
    first_head_ = 0;
    second_order_ = 0;
    slotted_ = 0;
  }
  void slots_to_heap() {
    // Earliest first is a valid heap; each group comes in order, so merging them is enough.
    CalendarEntry first[kFirstGroup], second[kSlots - kFirstGroup];
    const size_t in_first =
        kFirstGroup - static_cast<size_t>(__builtin_popcount(free_slots_ & kFirstGroupFree));
    size_t n_first = 0, n_second = 0;
    for_each_in_slots([&](const CalendarEntry& e) {  // the first group's, then the second's
      if (n_first < in_first) {
        first[n_first++] = e;
      } else {
        second[n_second++] = e;
      }
    });
    heap_.resize(n_first + n_second);
    std::merge(first, first + n_first, second, second + n_second, heap_.begin(),
               [](const CalendarEntry& x, const CalendarEntry& y) { return before(x, y); });
    clear_slots();
    in_slots_ = false;
    slot_push_limit_ = 0;
  }
  void heap_to_slots() {
    settle();
    std::sort(heap_.begin(), heap_.end(),
              [](const CalendarEntry& x, const CalendarEntry& y) { return before(x, y); });
    clear_slots();
    for (const CalendarEntry& e : heap_) {  // earliest first, into slots 0, 1, ... (fewer than 16)
      slot_event_[slotted_] = e;
      slot_time_[slotted_] = e.t;
      first_order_ |= uint64_t{slotted_} << (4 * slotted_);  // the earliest in slot 0: first_head_ stays 0
      free_slots_ &= free_slots_ - 1;
      ++slotted_;
    }
    heap_.clear();
    in_slots_ = true;
    slot_push_limit_ = slot_push_allowed_ ? kSlots : 0;
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

  // What every event reads first, together. While in slots: each group's order, its slots'
  // numbers within the group, four bits each, the earliest event's in the lowest bits; the
  // events in slot_event_, their times also in slot_time_ (kFreeSlotTime when free).
  uint64_t first_order_ = 0;          // the order of slots [0, kFirstGroup)
  unsigned first_head_ = 0;           // first_order_ & 15, kept apart (see insert_in_slots)
  uint32_t second_order_ = 0;         // the order of slots [kFirstGroup, kSlots)
  uint32_t free_slots_ = (1u << kSlots) - 1;  // one bit per slot
  size_t slotted_ = 0;                // events in the slots, both groups
  size_t slot_push_limit_ = kSlots;   // push_to_slots's room: kSlots while in slots and allowed, else 0
  bool slot_push_allowed_ = true;
  bool top_removed_ = false;          // heap_[0] is popped but still stands there
  bool in_slots_ = true;              // the events are in slot_event_, not in heap_
  std::vector<CalendarEntry> heap_;   // while not in slots
  alignas(16) double slot_time_[kSlots];
  CalendarEntry slot_event_[kSlots] = {};
};

}  // namespace linetwin::sim::detail
