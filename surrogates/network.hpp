// Private to surrogates/: training a network and its gradients by autograd, behind an interface so
// that LibTorch is loaded only when they are wanted. The implementation is the plugin
// liblinetwin_torch.so (network_torch.cpp, the one file that includes torch); network_loader.cpp
// opens it on first use. Predictions need no torch: they use the weights directly (mlp.hpp).
#pragma once
#include <cstddef>

#include "surrogates/mlp.hpp"
#include "surrogates/model.hpp"

namespace linetwin::surrogates::detail {

/// Training data in the network's units: inputs in [-1, 1], outputs standardised.
struct NetData {
  const float* x_fit = nullptr;
  const float* y_fit = nullptr;
  size_t n_fit = 0;
  const float* x_val = nullptr;
  const float* y_val = nullptr;
  size_t n_val = 0;
};

/// A trained network and how training went.
struct NetTrained {
  Mlp mlp;
  int epochs = 0, best_epoch = 0;
};

/// Trains networks and differentiates them.
class Backend {
 public:
  virtual ~Backend() = default;
  /// Trains with Adam and early stopping on the validation rows; one thread, seeded.
  virtual NetTrained train(const NetShape& shape, const NetData& data, const TrainOptions& options) const = 0;
  /// Output k of `mlp` and its gradient with respect to the inputs by autograd, for n rows.
  virtual void gradient(const Mlp& mlp, const float* x, size_t n, size_t k, float* value, float* grad) const = 0;
};

/// The backend, its plugin loaded on the first call; throws std::runtime_error when the plugin
/// cannot be loaded (an installation problem, not a user's).
const Backend& backend();

}  // namespace linetwin::surrogates::detail

/// The plugin's entry point.
extern "C" const linetwin::surrogates::detail::Backend* linetwin_torch_backend();
