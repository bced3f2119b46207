// A growable FIFO ring buffer for the simulator's queues: contiguous, no allocation once warm.
// 16 bytes (a pointer and two 32-bit counters; the capacity sits in front of the elements), so
// that a station's queues and the rest of its hot state share a cache line. A ring may start in
// storage its owner keeps beside it (a RingStore) and moves to the heap only if it outgrows it:
// on a long line a station's queue then lies next to the station, not somewhere in the heap.
// Standard library only.
#pragma once
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

namespace linetwin::sim {

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
  Ring(const Ring& other) { *this = other; }
  /// A copy on the heap (an owner with a RingStore copies with copy_into instead).
  Ring& operator=(const Ring& other) {
    if (this == &other) return *this;
    T* next = other.capacity() ? allocate(other.capacity()) : nullptr;
    for (uint32_t i = 0; i < other.size_; ++i) next[i] = other[i];
    release();
    buf_ = next;
    head_ = 0;
    size_ = other.size_;
    return *this;
  }
  Ring(Ring&&) = delete;  // a ring may point into its owner's storage: owners re-seat it
  Ring& operator=(Ring&&) = delete;

  /// Starts an empty ring in `store` (which must outlive it, or the ring move to the heap).
  template <uint32_t N>
  void start_in(RingStore<T, N>& store) {
    assert(buf_ == nullptr && size_ == 0);
    store.on_heap = 0;
    store.mask = N - 1;
    buf_ = store.slot;
    head_ = 0;
  }
  /// Makes this ring a copy of `other`, in `store` if it fits, else on the heap.
  template <uint32_t N>
  void copy_into(const Ring& other, RingStore<T, N>& store) {
    if (other.size_ > N) {
      *this = other;
      return;
    }
    release();
    buf_ = nullptr;
    size_ = 0;
    start_in(store);
    for (uint32_t i = 0; i < other.size_; ++i) buf_[i] = other[i];
    size_ = other.size_;
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
  [[gnu::always_inline]] void push_back(const T& v) {
    if (size_ == capacity()) [[unlikely]] grow();
    buf_[(head_ + size_) & mask()] = v;
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
    if (buf_ && header()[0])
      ::operator delete(reinterpret_cast<unsigned char*>(buf_) - kHeader, kAlign);
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

}  // namespace linetwin::sim
