// hft's fused AdamW (aten::_fused_adamw_ with step counts kept on the device) against LibTorch's
// own torch::optim::AdamW, which updates one operation at a time: the same parameters after
// every step; and a checkpoint taken mid-run (the counts written back into AdamW's state) that
// LibTorch's AdamW reads, and from which a fresh fused AdamW continues exactly.
#include "hft/train/fused_adamw.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <sstream>

namespace {

using torch::optim::AdamWOptions;

// Two parameters in two groups (one without weight decay), as the Trainer groups them.
struct Parameters {
  torch::Tensor weight = torch::tensor({{0.5f, -1.0f}, {2.0f, 0.25f}}).requires_grad_(true);
  torch::Tensor bias = torch::tensor({0.1f, -0.3f}).requires_grad_(true);

  std::vector<torch::optim::OptimizerParamGroup> groups() const {
    std::vector<torch::optim::OptimizerParamGroup> out;
    out.emplace_back(std::vector<torch::Tensor>{weight}, std::make_unique<AdamWOptions>(AdamWOptions(0.05).weight_decay(0.1)));
    out.emplace_back(std::vector<torch::Tensor>{bias}, std::make_unique<AdamWOptions>(AdamWOptions(0.05).weight_decay(0.0)));
    return out;
  }
};

// Gradients that differ from step to step: loss = sum((W x_k + b)^2) for x_k = [k, 1 - k].
void backward(const Parameters& p, int64_t k) {
  const torch::Tensor x = torch::tensor({static_cast<float>(k), static_cast<float>(1 - k)});
  (torch::matmul(p.weight, x) + p.bias).pow(2).sum().backward();
}

void train(torch::optim::Optimizer& optimizer, const Parameters& p, int64_t from, int64_t to) {
  for (int64_t k = from; k < to; ++k) {
    optimizer.zero_grad();
    backward(p, k);
    optimizer.step();
  }
}

}  // namespace

TEST_CASE("fused AdamW makes LibTorch's AdamW updates", "[train][optimizer]") {
  Parameters fused_side, reference_side;
  hft::train::FusedAdamW fused(fused_side.groups(), AdamWOptions(0.05));
  torch::optim::AdamW reference(reference_side.groups(), AdamWOptions(0.05));
  for (int64_t k = 0; k < 6; ++k) {
    train(fused, fused_side, k, k + 1);
    train(reference, reference_side, k, k + 1);
    INFO("step " << k);
    CHECK(torch::allclose(fused_side.weight, reference_side.weight, 1e-6, 1e-7));
    CHECK(torch::allclose(fused_side.bias, reference_side.bias, 1e-6, 1e-7));
  }
}

TEST_CASE("fused AdamW resumes from a saved state as if never stopped", "[train][optimizer]") {
  Parameters uninterrupted_side;
  hft::train::FusedAdamW uninterrupted(uninterrupted_side.groups(), AdamWOptions(0.05));
  train(uninterrupted, uninterrupted_side, 0, 6);

  Parameters first_side;
  hft::train::FusedAdamW first(first_side.groups(), AdamWOptions(0.05));
  train(first, first_side, 0, 3);
  std::stringstream saved;
  torch::save(first, saved);

  // LibTorch's AdamW reads the checkpoint: three steps counted for each parameter.
  std::stringstream copy(saved.str());
  Parameters plain_side;
  torch::optim::AdamW plain(plain_side.groups(), AdamWOptions(0.05));
  torch::load(plain, copy);
  for (const auto& [key, state] : plain.state())
    CHECK(static_cast<const torch::optim::AdamWParamState&>(*state).step() == 3);

  // A fresh fused AdamW over the same parameter values continues from it.
  Parameters resumed_side;
  {
    torch::NoGradGuard no_grad;
    resumed_side.weight.copy_(first_side.weight);
    resumed_side.bias.copy_(first_side.bias);
  }
  hft::train::FusedAdamW resumed(resumed_side.groups(), AdamWOptions(0.05));
  torch::load(resumed, saved);
  train(resumed, resumed_side, 3, 6);
  CHECK(torch::equal(resumed_side.weight, uninterrupted_side.weight));
  CHECK(torch::equal(resumed_side.bias, uninterrupted_side.bias));
}
