// A growable FIFO ring buffer for the simulator's queues: contiguous, no allocation once warm.
// Standard library only.
#pragma once
#include <cassert>
#include <cstddef>
#include <vector>

namespace linetwin::sim {

template <class T>
class Ring {
 public:
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  T& front() {
    assert(size_ > 0);
    return buf_[head_];
  }
  const T& front() const { return buf_[head_]; }
  /// The i-th element from the front.
  const T& operator[](size_t i) const { return buf_[(head_ + i) & mask_]; }
  void push_back(const T& v) {
    if (size_ == buf_.size()) grow();
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
  void grow() {
    std::vector<T> next(buf_.empty() ? 8 : 2 * buf_.size());
    for (size_t i = 0; i < size_; ++i) next[i] = (*this)[i];
    buf_.swap(next);
    head_ = 0;
    mask_ = buf_.size() - 1;
  }
  std::vector<T> buf_;  // capacity a power of two
  size_t head_ = 0, size_ = 0, mask_ = 0;
};

}  // namespace linetwin::sim
