// A growable FIFO ring buffer for the simulator's queues: contiguous, no allocation once warm.
// 24 bytes (a pointer and three 32-bit counters), so that a station's queues and the rest of its
// hot state share a cache line. Standard library only.
#pragma once
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

namespace linetwin::sim {

template <class T>
class Ring {
 public:
  Ring() = default;
  Ring(const Ring& other) { *this = other; }
  Ring& operator=(const Ring& other) {
    if (this == &other) return *this;
    buf_.reset(other.capacity() ? new T[other.capacity()] : nullptr);
    for (uint32_t i = 0; i < other.size_; ++i) buf_[i] = other[i];
    head_ = 0;
    size_ = other.size_;
    mask_ = other.mask_;
    return *this;
  }
  Ring(Ring&& other) noexcept { *this = std::move(other); }
  Ring& operator=(Ring&& other) noexcept {
    buf_ = std::move(other.buf_);
    head_ = std::exchange(other.head_, 0);
    size_ = std::exchange(other.size_, 0);
    mask_ = std::exchange(other.mask_, 0);
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
  const T& operator[](size_t i) const { return buf_[(head_ + i) & mask_]; }
  [[gnu::always_inline]] void push_back(const T& v) {
    if (size_ == capacity()) [[unlikely]] grow();
    buf_[(head_ + size_) & mask_] = v;
    ++size_;
  }
  /// Removes the i-th element from the front; the others keep their order.
  T remove_at(size_t i) {
    assert(i < size_);
    const T v = (*this)[i];
    for (size_t j = i; j + 1 < size_; ++j) buf_[(head_ + j) & mask_] = buf_[(head_ + j + 1) & mask_];
    --size_;
    return v;
  }
  void pop_front() {
    assert(size_ > 0);
    head_ = (head_ + 1) & mask_;
    --size_;
  }

 private:
  uint32_t capacity() const { return buf_ ? mask_ + 1 : 0; }
  [[gnu::noinline]] void grow() {
    const uint32_t cap = capacity() ? 2 * capacity() : 4;
    std::unique_ptr<T[]> next(new T[cap]);
    for (uint32_t i = 0; i < size_; ++i) next[i] = (*this)[i];
    buf_ = std::move(next);
    head_ = 0;
    mask_ = cap - 1;
  }
  std::unique_ptr<T[]> buf_;  // capacity mask_ + 1, a power of two (none before the first push)
  uint32_t head_ = 0, size_ = 0, mask_ = 0;
};

}  // namespace linetwin::sim
