// fp16 loss scaling against torch.amp.GradScaler itself (on the CPU, where both run the same
// fused unscale and update kernels): the same scale after every step, and the same parameters,
// with overflowing steps (inf, NaN gradients) skipped, backing off and growing the scale.
#include "hft/train/loss_scaler.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "../oracle_json.h"

using namespace hft;

TEST_CASE("LossScaler follows torch.amp.GradScaler step by step", "[train][fp16]") {
  const std::vector<std::vector<std::string>> steps = {
      {"1", "2", "3"}, {"0.5", "inf", "1"}, {"1", "1", "1"}, {"-2", "0.25", "4"}, {"1", "nan", "1"},
      {"3", "3", "3"}, {"1", "2", "1"},     {"0.1", "0.2", "0.3"}, {"-1", "-1", "-1"}, {"inf", "-inf", "0"}, {"2", "1", "0"}};
  const nlohmann::json spec = {{"init_scale", 8.0}, {"growth_interval", 3}, {"steps", steps}};
  const nlohmann::json expected = testing::run_oracle_json("grad_scaler_steps.py", "'" + spec.dump() + "'");

  torch::Tensor parameter = torch::tensor({1.0f, 2.0f, 3.0f}).requires_grad_(true);
  torch::optim::SGD optimizer({parameter}, torch::optim::SGDOptions(0.1));
  train::LossScalerOptions options;
  options.init_scale = 8.0;
  options.growth_interval = 3;
  train::LossScaler scaler(/*enabled=*/true, torch::kCPU, options);
  for (size_t i = 0; i < steps.size(); ++i) {
    std::vector<float> gradient;
    for (const auto& g : steps[i]) gradient.push_back(std::stof(g));
    optimizer.zero_grad();
    const torch::Tensor loss = (parameter * torch::tensor(gradient)).sum();
    scaler.scale(loss).backward();
    scaler.unscale({parameter});
    scaler.step(optimizer);
    INFO("step " << i);
    CHECK(scaler.current_scale() == expected[i]["scale"].get<double>());
    const auto want = expected[i]["parameter"].get<std::vector<float>>();
    for (int64_t j = 0; j < 3; ++j) CHECK(parameter[j].item<float>() == want[j]);
  }
}

TEST_CASE("a disabled LossScaler changes nothing", "[train][fp16]") {
  torch::Tensor parameter = torch::tensor({1.0f}).requires_grad_(true);
  torch::optim::SGD optimizer({parameter}, torch::optim::SGDOptions(0.5));
  train::LossScaler scaler(/*enabled=*/false, torch::kCPU);
  const torch::Tensor loss = parameter.sum() * 3;  // gradient 3: 1 - 0.5 x 3 = -0.5
  CHECK(scaler.scale(loss).item<float>() == 3.0f);
  scaler.scale(loss).backward();
  scaler.unscale({parameter});
  CHECK(scaler.step(optimizer));
  CHECK(parameter.item<float>() == -0.5f);
}
