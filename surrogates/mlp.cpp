#include "surrogates/mlp.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace linetwin::surrogates::detail {
namespace {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const Matrix>;
using Vector = Eigen::Map<const Eigen::RowVectorXf>;

constexpr size_t kChunk = 2048;  // rows per pass: the activations stay in the cache

// z = x W^T + b for a chunk of rows.
void affine(const Matrix& x, const Layer& l, Matrix& z) {
  const ConstMap w(l.w.data(), static_cast<Eigen::Index>(l.out), static_cast<Eigen::Index>(l.in));
  z.noalias() = x * w.transpose();
  z.rowwise() += Vector(l.b.data(), static_cast<Eigen::Index>(l.out));
}

Matrix silu(const Matrix& z) { return (z.array() / (1.0f + (-z.array()).exp())).matrix(); }

}  // namespace

void Mlp::forward(const float* x, size_t n, float* out) const {
  const size_t d = layers.front().in, k = layers.back().out;
  Matrix h, z;
  for (size_t s = 0; s < n; s += kChunk) {
    const auto m = static_cast<Eigen::Index>(std::min(kChunk, n - s));
    h = ConstMap(x + s * d, m, static_cast<Eigen::Index>(d));
    for (size_t i = 0; i < layers.size(); ++i) {
      affine(h, layers[i], z);
      if (i + 1 < layers.size()) h = silu(z);
    }
    Eigen::Map<Matrix>(out + s * k, m, static_cast<Eigen::Index>(k)) = z;
  }
}

std::string Mlp::bytes() const {
  static_assert(sizeof(float) == 4 && std::numeric_limits<float>::is_iec559);
  std::string out;
  auto put = [&](const std::vector<float>& v) {
    for (float f : v) {
      uint32_t u;
      std::memcpy(&u, &f, 4);
      for (int b = 0; b < 4; ++b) out += static_cast<char>((u >> (8 * b)) & 0xff);
    }
  };
  for (const auto& l : layers) {
    put(l.w);
    put(l.b);
  }
  return out;
}

Result<Mlp> mlp_from_bytes(const NetShape& shape, const std::string& bytes, const std::string& file) {
  // The sizes first, so that a header claiming a huge network allocates nothing.
  size_t total = 0;
  for (int i = 0; i <= shape.hidden_layers; ++i) {
    const size_t rows = i < shape.hidden_layers ? static_cast<size_t>(shape.width) : shape.outputs;
    const size_t cols = i == 0 ? shape.inputs : static_cast<size_t>(shape.width);
    total += 4 * (rows * cols + rows);
  }
  if (bytes.size() != total)
    return Error::in(file, "not a valid linetwin model: its weights (" + std::to_string(bytes.size()) +
                                     " bytes) do not fit the network the header describes (" + std::to_string(total) + " bytes)");
  Mlp mlp;
  size_t in = shape.inputs;
  for (int i = 0; i <= shape.hidden_layers; ++i) {
    Layer l;
    l.in = in;
    l.out = i < shape.hidden_layers ? static_cast<size_t>(shape.width) : shape.outputs;
    l.w.resize(l.in * l.out);
    l.b.resize(l.out);
    in = l.out;
    mlp.layers.push_back(std::move(l));
  }
  size_t pos = 0;
  auto get = [&](std::vector<float>& v) {
    for (float& f : v) {
      uint32_t u = 0;
      for (int b = 0; b < 4; ++b) u |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[pos++])) << (8 * b);
      std::memcpy(&f, &u, 4);
    }
  };
  for (auto& l : mlp.layers) {
    get(l.w);
    get(l.b);
    for (const auto* v : {&l.w, &l.b})
      for (float f : *v)
        if (!std::isfinite(f)) return Error::in(file, "not a valid linetwin model: a weight is not a finite number");
  }
  return mlp;
}

}  // namespace linetwin::surrogates::detail
