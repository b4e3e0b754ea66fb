// fp16 loss scaling against torch.amp.GradScaler itself (on the CPU, where both run the same
// fused unscale and update kernels): the same scale after every step, and the same parameters,
// with overflowing steps (inf, NaN gradients) skipped, backing off and growing the scale; with
// SGD (the flag read on the host) and with hft's fused AdamW (the flag and the learning rate left
// on the device), the latter against torch's fused AdamW under the Trainer's scheduler rule.
#include "hft/train/loss_scaler.h"

#include "hft/train/fused_adamw.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "../oracle_json.h"

using namespace hft;

namespace {

// The gradient of loss = sum(parameter * g) for g written as strings ("inf", "nan"), through the
// scaler, then divided back by the scale.
void backward_unscaled(train::LossScaler& scaler, const torch::Tensor& parameter, const std::vector<std::string>& g) {
  std::vector<float> gradient;
  for (const auto& value : g) gradient.push_back(std::stof(value));
  scaler.scale((parameter * torch::tensor(gradient)).sum()).backward();
  scaler.unscale({parameter});
}

}  // namespace

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
    optimizer.zero_grad();
    backward_unscaled(scaler, parameter, steps[i]);
    scaler.step(optimizer, torch::tensor(0.1, torch::kFloat64));  // double: exactly SGD's 0.1
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
  scaler.step(optimizer, torch::tensor(0.5, torch::kFloat64));
  CHECK(parameter.item<float>() == -0.5f);
}

TEST_CASE("fp16 with the fused AdamW: the device skips overflowed updates and holds the schedule back",
          "[train][fp16]") {
  const std::vector<std::vector<std::string>> steps = {{"1", "2", "3"}, {"0.5", "inf", "1"}, {"1", "1", "1"},
                                                       {"-2", "0.25", "4"}, {"1", "nan", "1"}, {"3", "3", "3"},
                                                       {"1", "2", "1"}, {"inf", "-inf", "0"}, {"2", "1", "0"}};
  const nlohmann::json spec = {{"init_scale", 8.0}, {"growth_interval", 3}, {"steps", steps}, {"optimizer", "adamw_fused"}};
  const nlohmann::json expected = testing::run_oracle_json("grad_scaler_steps.py", "'" + spec.dump() + "'");

  torch::Tensor parameter = torch::tensor({1.0f, 2.0f, 3.0f}).requires_grad_(true);
  train::FusedAdamW optimizer({parameter}, torch::optim::AdamWOptions(0.1).weight_decay(0.01));
  train::LossScalerOptions options;
  options.init_scale = 8.0;
  options.growth_interval = 3;
  train::LossScaler scaler(/*enabled=*/true, torch::kCPU, options);
  // The oracle's linear decay, k = 0 .. len(steps), as the loop keeps it on the device.
  const auto total = static_cast<double>(steps.size());
  std::vector<float> rates;
  for (size_t k = 0; k <= steps.size(); ++k) rates.push_back(static_cast<float>(0.1 * (total - static_cast<double>(k)) / total));
  const torch::Tensor schedule = torch::tensor(rates);
  for (size_t i = 0; i < steps.size(); ++i) {
    optimizer.zero_grad();
    backward_unscaled(scaler, parameter, steps[i]);
    const torch::Tensor k = (scaler.skipped_steps().neg() + static_cast<int64_t>(i)).view({1});
    const torch::Tensor lr = schedule.index_select(0, k).squeeze(0);
    INFO("step " << i);
    CHECK(lr.item<double>() == Approx(expected[i]["lr"].get<double>()).epsilon(1e-6));
    scaler.step(optimizer, lr);
    CHECK(scaler.current_scale() == expected[i]["scale"].get<double>());
    const auto want = expected[i]["parameter"].get<std::vector<double>>();
    for (int64_t j = 0; j < 3; ++j) CHECK(parameter[j].item<double>() == Approx(want[j]).epsilon(1e-6));
  }
  CHECK(scaler.skipped_step_count() == 3);  // the steps with inf or NaN gradients
}
