// A growable FIFO ring buffer for the kernel's queues (private to sim/): contiguous, no
// allocation once warm. 16 bytes (a pointer and two 32-bit counters; the capacity sits in front of
// the elements), so that a station's queues and the rest of its hot state share a cache line. A
// ring may start in storage its owner keeps beside it (a RingStore) and moves to the heap only if
// it outgrows it: on a long line a station's queue then lies next to the station, not somewhere
// in the heap. Standard library only.
#pragma once
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

namespace linetwin::sim::detail {

/// Room for N elements of a Ring, kept by the ring's owner (N a power of two).
template <class T, uint32_t N>
struct RingStore {
  static_assert(N > 0 && (N & (N - 1)) == 0);
  uint32_t on_heap = 0;   // the header a Ring reads in front of its elements
  uint32_t mask = N - 1;
  T slot[N];
};

template <class T>
class Ring {
  static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 8);

 public:
  Ring() = default;
  ~Ring() { release(); }
  // A ring in its owner's RingStore is copied and moved only as part of its owner, which copies
  // the store with it: the copy points into the new owner's store, at the same place relative to
  // the ring. A ring on the heap is copied deeply.
  Ring(const Ring& other) { copy_from(other); }
  Ring& operator=(const Ring& other) {
    if (this == &other) return *this;
    release();
    copy_from(other);
    return *this;
  }
  Ring(Ring&& other) noexcept { move_from(other); }
  Ring& operator=(Ring&& other) noexcept {
    if (this == &other) return *this;
    release();
    move_from(other);
    return *this;
  }

  /// Starts an empty ring in `store`, which its owner keeps beside it (see the copies above).
  template <uint32_t N>
  void start_in(RingStore<T, N>& store) {
    assert(buf_ == nullptr && size_ == 0);
    store.on_heap = 0;
    store.mask = N - 1;
    buf_ = store.slot;
    head_ = 0;
  }

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  T& front() {
    assert(size_ > 0);
    return buf_[head_];
  }
  const T& front() const { return buf_[head_]; }
  /// The i-th element from the front.
  const T& operator[](size_t i) const { return buf_[(head_ + i) & mask()]; }
  T& operator[](size_t i) { return buf_[(head_ + i) & mask()]; }
  [[gnu::always_inline]] void push_back(const T& v) {
    if (size_ == capacity()) [[unlikely]] grow();
    buf_[(head_ + size_) & mask()] = v;
    ++size_;
  }
  /// push_back for a ring known to be in a RingStore<T, N> of its owner with room left: the
  /// capacity is not read (it lies with the elements, which a push need not wait for).
  template <uint32_t N>
  [[gnu::always_inline]] void push_back_in_store(const T& v) {
    assert(mask() == N - 1 && size_ < N);
    buf_[(head_ + size_) & (N - 1)] = v;
    ++size_;
  }
  /// Removes the i-th element from the front; the others keep their order.
  T remove_at(size_t i) {
    assert(i < size_);
    const T v = (*this)[i];
    for (size_t j = i; j + 1 < size_; ++j) buf_[(head_ + j) & mask()] = buf_[(head_ + j + 1) & mask()];
    --size_;
    return v;
  }
  void pop_front() {
    assert(size_ > 0);
    head_ = (head_ + 1) & mask();
    --size_;
  }

 private:
  // In front of the elements, on the heap as in a RingStore: whether they are on the heap, and
  // the capacity's mask. A heap block is aligned to a cache line, so that a small ring's header
  // and elements share one line.
  static constexpr size_t kHeader = 16;
  static constexpr std::align_val_t kAlign{64};
  const uint32_t* header() const { return reinterpret_cast<const uint32_t*>(buf_) - 2; }
  uint32_t mask() const { return header()[1]; }
  uint32_t capacity() const { return buf_ ? mask() + 1 : 0; }
  static T* allocate(uint32_t cap) {
    auto* block = static_cast<unsigned char*>(::operator new(kHeader + size_t(cap) * sizeof(T), kAlign));
    auto* header = reinterpret_cast<uint32_t*>(block + kHeader) - 2;
    header[0] = 1;
    header[1] = cap - 1;
    return reinterpret_cast<T*>(block + kHeader);
  }
  void release() {
    if (on_heap()) ::operator delete(reinterpret_cast<unsigned char*>(buf_) - kHeader, kAlign);
  }
  bool on_heap() const { return buf_ && header()[0]; }
  void copy_from(const Ring& other) {
    head_ = other.head_;
    size_ = other.size_;
    if (other.buf_ == nullptr) {
      buf_ = nullptr;
    } else if (!other.on_heap()) {
      const uintptr_t offset = reinterpret_cast<uintptr_t>(other.buf_) - reinterpret_cast<uintptr_t>(&other);
      buf_ = reinterpret_cast<T*>(reinterpret_cast<uintptr_t>(this) + offset);
    } else {
      buf_ = allocate(other.capacity());
      for (uint32_t i = 0; i < other.size_; ++i) buf_[i] = other[i];
      head_ = 0;
    }
  }
  void move_from(Ring& other) {
    if (!other.on_heap()) return copy_from(other);
    buf_ = std::exchange(other.buf_, nullptr);
    head_ = std::exchange(other.head_, 0);
    size_ = std::exchange(other.size_, 0);
  }
  [[gnu::noinline]] void grow() {
    const uint32_t cap = capacity() ? 2 * capacity() : 4;
    T* next = allocate(cap);
    for (uint32_t i = 0; i < size_; ++i) next[i] = (*this)[i];
    release();
    buf_ = next;
    head_ = 0;
  }
  T* buf_ = nullptr;  // capacity a power of two (none before the first push)
  uint32_t head_ = 0, size_ = 0;
};

}  // namespace linetwin::sim::detail
