// Private to surrogates/: the neural network behind SurrogateModel, seen through an interface so
// that LibTorch is loaded only when a model is trained or read. The implementation is the plugin
// liblinetwin_torch.so (network_torch.cpp, the one file that includes torch); network_loader.cpp
// opens it on first use. The network works in scaled units: inputs in [-1, 1], outputs
// standardised; model.cpp does the scaling.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "sim/result.hpp"
#include "surrogates/model.hpp"

namespace linetwin::surrogates::detail {

/// The shape of a multilayer perceptron with SiLU activations.
struct NetShape {
  size_t inputs = 0, outputs = 0;
  int hidden_layers = 0, width = 0;
};

/// A trained network. Safe to call from several threads at once.
class Net {
 public:
  virtual ~Net() = default;
  /// An independent copy.
  virtual std::unique_ptr<Net> clone() const = 0;
  /// Outputs for n rows of inputs (row-major).
  virtual void forward(const float* x, size_t n, float* out) const = 0;
  /// Output k and its gradient with respect to the inputs, for n rows.
  virtual void gradient(const float* x, size_t n, size_t k, float* value, float* grad) const = 0;
  /// The weights as bytes (a torch archive).
  virtual std::string save() const = 0;
};

/// Training data in scaled units.
struct NetData {
  const float* x_fit = nullptr;
  const float* y_fit = nullptr;
  size_t n_fit = 0;
  const float* x_val = nullptr;
  const float* y_val = nullptr;
  size_t n_val = 0;
};

/// What training did.
struct NetTrained {
  std::unique_ptr<Net> net;
  int epochs = 0, best_epoch = 0;
};

/// Makes, trains and reads networks.
class Backend {
 public:
  virtual ~Backend() = default;
  /// Trains with Adam and early stopping on the validation rows; one thread, seeded.
  virtual NetTrained train(const NetShape& shape, const NetData& data, const TrainOptions& options) const = 0;
  /// Reads weights saved by Net::save into a network of `shape`; a mismatch is an Error.
  virtual Result<std::unique_ptr<Net>> load(const NetShape& shape, const std::string& weights,
                                            const std::string& file) const = 0;
  /// Intra-op threads for forward and gradient.
  virtual void set_threads(int threads) const = 0;
};

/// The backend, its plugin loaded on the first call; throws std::runtime_error when the plugin
/// cannot be loaded (an installation problem, not a user's).
const Backend& backend();

}  // namespace linetwin::surrogates::detail

/// The plugin's entry point.
extern "C" const linetwin::surrogates::detail::Backend* linetwin_torch_backend();
