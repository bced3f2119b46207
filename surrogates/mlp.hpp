// Private to surrogates/: a trained multilayer perceptron's weights (Linear layers with SiLU
// between them), its batched forward pass without LibTorch (Eigen: a prediction must not wait a
// second for torch to load), and the weights' bytes in the model file. Not training nor
// gradients: those are the plugin's (network.hpp).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace linetwin::surrogates::detail {

/// The shape of a multilayer perceptron with SiLU activations.
struct NetShape {
  size_t inputs = 0, outputs = 0;
  int hidden_layers = 0, width = 0;
};

/// One Linear layer: y = W x + b, W row-major with `out` rows of `in` weights.
struct Layer {
  size_t in = 0, out = 0;
  std::vector<float> w, b;
};

/// The layers in order; SiLU follows every layer but the last.
struct Mlp {
  std::vector<Layer> layers;

  /// Outputs for n rows of inputs (row-major); any number of threads may call it at once.
  void forward(const float* x, size_t n, float* out) const;
  /// The weights as bytes: each layer's W then b, float32 little-endian.
  std::string bytes() const;
};

/// Layers of `shape` filled from bytes made by Mlp::bytes; sizes that do not fit are an Error.
Result<Mlp> mlp_from_bytes(const NetShape& shape, const std::string& bytes, const std::string& file);

}  // namespace linetwin::surrogates::detail
