// LibTorch's part: a multilayer perceptron (Linear and SiLU layers) fitted with Adam, full batches
// or minibatches, early stopping on a validation set and smaller steps on a plateau, the weights
// handed back as plain arrays; and gradients of a network's output with respect to its inputs by
// autograd. Built as the plugin liblinetwin_torch.so, the project's one file that includes torch.
#include <torch/torch.h>

#include <algorithm>
#include <limits>

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

// The network of `mlp`, its weights copied and frozen (only the inputs need gradients).
torch::nn::Sequential from_mlp(const Mlp& mlp) {
  torch::nn::Sequential net;
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < mlp.layers.size(); ++i) {
    const Layer& l = mlp.layers[i];
    torch::nn::Linear linear(static_cast<int64_t>(l.in), static_cast<int64_t>(l.out));
    linear->weight.copy_(torch::from_blob(const_cast<float*>(l.w.data()), {static_cast<int64_t>(l.out), static_cast<int64_t>(l.in)}));
    linear->bias.copy_(torch::from_blob(const_cast<float*>(l.b.data()), {static_cast<int64_t>(l.out)}));
    linear->weight.set_requires_grad(false);
    linear->bias.set_requires_grad(false);
    net->push_back(linear);
    if (i + 1 < mlp.layers.size()) net->push_back(torch::nn::SiLU());
  }
  return net;
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
    for (const auto& module : net->children()) {
      const auto* linear = module->as<torch::nn::Linear>();
      if (!linear) continue;
      Layer l;
      const torch::Tensor w = linear->weight.detach().contiguous(), b = linear->bias.detach().contiguous();
      l.out = static_cast<size_t>(w.size(0));
      l.in = static_cast<size_t>(w.size(1));
      l.w.assign(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
      l.b.assign(b.data_ptr<float>(), b.data_ptr<float>() + b.numel());
      out.mlp.layers.push_back(std::move(l));
    }
    out.epochs = std::min(epoch, options.max_epochs);
    out.best_epoch = best_epoch;
    return out;
  }

  void gradient(const Mlp& mlp, const float* x, size_t n, size_t k, float* value, float* grad) const override {
    ThreadScope threads(1);
    torch::nn::Sequential net = from_mlp(mlp);
    const size_t d = mlp.layers.front().in;
    const torch::Tensor in = tensor(x, n, d).clone().requires_grad_(true);
    const torch::Tensor y = net->forward(in).select(1, static_cast<int64_t>(k));
    const torch::Tensor g = torch::autograd::grad({y.sum()}, {in})[0].contiguous();
    const torch::Tensor yv = y.detach().contiguous();
    std::copy_n(yv.data_ptr<float>(), n, value);
    std::copy_n(g.data_ptr<float>(), n * d, grad);
  }
};

}  // namespace
}  // namespace linetwin::surrogates::detail

extern "C" __attribute__((visibility("default"))) const linetwin::surrogates::detail::Backend* linetwin_torch_backend() {
  static const linetwin::surrogates::detail::TorchBackend backend;
  return &backend;
}
