// A growable FIFO ring buffer for the simulator's queues: contiguous, no allocation once warm.
// 16 bytes (a pointer and two 32-bit counters; the capacity sits in front of the elements), so
// that a station's queues and the rest of its hot state share a cache line. Standard library only.
#pragma once
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

namespace linetwin::sim {

template <class T>
class Ring {
  static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 16);

 public:
  Ring() = default;
  ~Ring() { release(buf_); }
  Ring(const Ring& other) { *this = other; }
  Ring& operator=(const Ring& other) {
    if (this == &other) return *this;
    T* next = other.capacity() ? allocate(other.capacity()) : nullptr;
    for (uint32_t i = 0; i < other.size_; ++i) next[i] = other[i];
    release(buf_);
    buf_ = next;
    head_ = 0;
    size_ = other.size_;
    return *this;
  }
  Ring(Ring&& other) noexcept { *this = std::move(other); }
  Ring& operator=(Ring&& other) noexcept {
    if (this == &other) return *this;
    release(buf_);
    buf_ = std::exchange(other.buf_, nullptr);
    head_ = std::exchange(other.head_, 0);
    size_ = std::exchange(other.size_, 0);
    return *this;
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
  // The elements follow a 16-byte header holding the capacity's mask; the block is aligned to a
  // cache line, so that a small ring's header and elements share one line.
  static constexpr size_t kHeader = 16;
  static constexpr std::align_val_t kAlign{64};
  uint32_t mask() const { return reinterpret_cast<const uint32_t*>(buf_)[-kHeader / 4]; }
  uint32_t capacity() const { return buf_ ? mask() + 1 : 0; }
  static T* allocate(uint32_t cap) {
    auto* block = static_cast<unsigned char*>(::operator new(kHeader + size_t(cap) * sizeof(T), kAlign));
    *reinterpret_cast<uint32_t*>(block) = cap - 1;
    return reinterpret_cast<T*>(block + kHeader);
  }
  static void release(T* buf) {
    if (buf) ::operator delete(reinterpret_cast<unsigned char*>(buf) - kHeader, kAlign);
  }
  [[gnu::noinline]] void grow() {
    const uint32_t cap = capacity() ? 2 * capacity() : 4;
    T* next = allocate(cap);
    for (uint32_t i = 0; i < size_; ++i) next[i] = (*this)[i];
    release(buf_);
    buf_ = next;
    head_ = 0;
  }
  T* buf_ = nullptr;  // capacity a power of two (none before the first push)
  uint32_t head_ = 0, size_ = 0;
};

}  // namespace linetwin::sim
