// The LibTorch network: a multilayer perceptron (Linear and SiLU layers), trained with Adam,
// full batches or minibatches, early stopping on a validation set and smaller steps on a
// plateau; forward passes under inference mode and gradients by autograd; weights as a torch
// archive. Built as the plugin liblinetwin_torch.so, the project's one file that includes torch.
#include <torch/torch.h>

#include <algorithm>
#include <limits>
#include <sstream>

#include "surrogates/network.hpp"

namespace linetwin::surrogates::detail {
namespace {

torch::nn::Sequential make_net(const NetShape& s) {
  torch::nn::Sequential net;
  int64_t in = static_cast<int64_t>(s.inputs);
  for (int l = 0; l < s.hidden_layers; ++l) {
    net->push_back(torch::nn::Linear(in, s.width));
    net->push_back(torch::nn::SiLU());
    in = s.width;
  }
  net->push_back(torch::nn::Linear(in, static_cast<int64_t>(s.outputs)));
  return net;
}

std::vector<int64_t> shapes_of(const torch::nn::Sequential& net) {
  std::vector<int64_t> out;
  for (const auto& p : net->parameters()) {
    out.push_back(p.dim());
    for (auto s : p.sizes()) out.push_back(s);
  }
  return out;
}

// An exception's text on one line, cut short: it ends up in a one-sentence message.
std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s.substr(0, 120);
}

torch::Tensor tensor(const float* p, size_t rows, size_t cols) {
  return torch::from_blob(const_cast<float*>(p), {static_cast<int64_t>(rows), static_cast<int64_t>(cols)}, torch::kFloat32);
}

// Training on one thread: deterministic and, for networks this small, no slower.
class ThreadScope {
 public:
  explicit ThreadScope(int threads) : saved_(at::get_num_threads()) { at::set_num_threads(threads); }
  ~ThreadScope() { at::set_num_threads(saved_); }

 private:
  int saved_;
};

class TorchNet final : public Net {
 public:
  TorchNet(torch::nn::Sequential net, NetShape shape) : net_(std::move(net)), shape_(shape) {}

  std::unique_ptr<Net> clone() const override {
    auto copy = std::dynamic_pointer_cast<torch::nn::SequentialImpl>(net_->clone());
    return std::make_unique<TorchNet>(torch::nn::Sequential(copy), shape_);
  }

  void forward(const float* x, size_t n, float* out) const override {
    c10::InferenceMode inference;
    constexpr size_t kBatch = size_t{1} << 16;  // bounds the memory of huge requests
    torch::nn::Sequential net = net_;
    for (size_t s = 0; s < n; s += kBatch) {
      const size_t m = std::min(kBatch, n - s);
      const torch::Tensor y = net->forward(tensor(x + s * shape_.inputs, m, shape_.inputs)).contiguous();
      std::copy_n(y.data_ptr<float>(), m * shape_.outputs, out + s * shape_.outputs);
    }
  }

  void gradient(const float* x, size_t n, size_t k, float* value, float* grad) const override {
    torch::nn::Sequential net = net_;
    torch::Tensor in = tensor(x, n, shape_.inputs).clone().requires_grad_(true);
    const torch::Tensor y = net->forward(in).select(1, static_cast<int64_t>(k));
    const torch::Tensor g = torch::autograd::grad({y.sum()}, {in})[0].contiguous();
    const torch::Tensor yv = y.detach().contiguous();
    std::copy_n(yv.data_ptr<float>(), n, value);
    std::copy_n(g.data_ptr<float>(), n * shape_.inputs, grad);
  }

  std::string save() const override {
    std::ostringstream out;
    torch::save(net_, out);
    return out.str();
  }

 private:
  torch::nn::Sequential net_;
  NetShape shape_;
};

class TorchBackend final : public Backend {
 public:
  NetTrained train(const NetShape& shape, const NetData& data, const TrainOptions& options) const override {
    ThreadScope threads(1);
    torch::manual_seed(options.seed);
    const torch::Tensor x_fit = tensor(data.x_fit, data.n_fit, shape.inputs).clone();
    const torch::Tensor y_fit = tensor(data.y_fit, data.n_fit, shape.outputs).clone();
    const torch::Tensor x_val = tensor(data.x_val, data.n_val, shape.inputs).clone();
    const torch::Tensor y_val = tensor(data.y_val, data.n_val, shape.outputs).clone();
    torch::nn::Sequential net = make_net(shape);
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(options.learning_rate));
    std::vector<torch::Tensor> best;
    for (const auto& p : net->parameters()) best.push_back(p.detach().clone());
    double best_loss = std::numeric_limits<double>::infinity(), lr = options.learning_rate;
    int best_epoch = 0, epoch = 0, since_best = 0, since_cut = 0;
    const auto n_fit = static_cast<int64_t>(data.n_fit);
    const int64_t batch = options.batch > 0 ? std::min<int64_t>(options.batch, n_fit) : n_fit;
    for (epoch = 1; epoch <= options.max_epochs; ++epoch) {
      const torch::Tensor perm = batch < n_fit ? torch::randperm(n_fit, torch::kLong) : torch::Tensor();
      for (int64_t s = 0; s < n_fit; s += batch) {
        opt.zero_grad();
        torch::Tensor loss;
        if (batch < n_fit) {
          const torch::Tensor idx = perm.slice(0, s, std::min(n_fit, s + batch));
          loss = torch::mse_loss(net->forward(x_fit.index_select(0, idx)), y_fit.index_select(0, idx));
        } else {
          loss = torch::mse_loss(net->forward(x_fit), y_fit);
        }
        loss.backward();
        opt.step();
      }
      double val_loss;
      {
        torch::NoGradGuard no_grad;
        val_loss = data.n_val ? torch::mse_loss(net->forward(x_val), y_val).item<double>()
                              : torch::mse_loss(net->forward(x_fit), y_fit).item<double>();
      }
      if (val_loss < best_loss * (1 - 1e-4)) {
        best_loss = val_loss;
        best_epoch = epoch;
        since_best = since_cut = 0;
        torch::NoGradGuard no_grad;
        auto params = net->parameters();
        for (size_t i = 0; i < params.size(); ++i) best[i].copy_(params[i]);
      } else if (++since_best >= options.patience) {
        break;
      } else if (++since_cut >= options.patience / 4 && lr > options.learning_rate / 100) {
        lr /= 2;  // a plateau: smaller steps before giving up
        since_cut = 0;
        for (auto& group : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
      }
    }
    {
      torch::NoGradGuard no_grad;
      auto params = net->parameters();
      for (size_t i = 0; i < params.size(); ++i) params[i].copy_(best[i]);
    }
    NetTrained out;
    out.net = std::make_unique<TorchNet>(net, shape);
    out.epochs = std::min(epoch, options.max_epochs);
    out.best_epoch = best_epoch;
    return out;
  }

  Result<std::unique_ptr<Net>> load(const NetShape& shape, const std::string& weights,
                                    const std::string& file) const override {
    try {
      torch::nn::Sequential net = make_net(shape);
      const std::vector<int64_t> expected = shapes_of(net);
      std::istringstream in(weights);
      torch::load(net, in);
      // Loading replaces each tensor whole, so a foreign archive could bring other shapes.
      if (shapes_of(net) != expected)
        return Error{file, 0, 0, "", "not a valid linetwin model: the weights do not fit the network the header describes"};
      return std::unique_ptr<Net>(std::make_unique<TorchNet>(net, shape));
    } catch (const c10::Error& e) {
      return Error{file, 0, 0, "", "not a valid linetwin model: its weights cannot be read (" +
                                       one_line(e.what_without_backtrace()) + ")"};
    } catch (const std::exception& e) {
      return Error{file, 0, 0, "", "not a valid linetwin model: its weights cannot be read (" + one_line(e.what()) + ")"};
    }
  }

  void set_threads(int threads) const override { at::set_num_threads(std::max(1, threads)); }
};

}  // namespace
}  // namespace linetwin::surrogates::detail

extern "C" __attribute__((visibility("default"))) const linetwin::surrogates::detail::Backend* linetwin_torch_backend() {
  static const linetwin::surrogates::detail::TorchBackend backend;
  return &backend;
}
