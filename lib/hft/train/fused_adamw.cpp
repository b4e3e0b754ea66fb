#include "hft/train/fused_adamw.h"

#include <ATen/ops/_fused_adamw.h>
#include <torch/types.h>

#include <memory>
#include <vector>

namespace hft::train {
namespace {

using torch::optim::AdamWOptions;
using torch::optim::AdamWParamState;

// The parameter's moments, created as zeros on its first step.
AdamWParamState& state_of(ska::flat_hash_map<void*, std::unique_ptr<torch::optim::OptimizerParamState>>& states,
                          const torch::Tensor& parameter) {
  auto& slot = states[parameter.unsafeGetTensorImpl()];
  if (!slot) {
    auto fresh = std::make_unique<AdamWParamState>();
    fresh->exp_avg(torch::zeros_like(parameter, torch::MemoryFormat::Preserve));
    fresh->exp_avg_sq(torch::zeros_like(parameter, torch::MemoryFormat::Preserve));
    slot = std::move(fresh);
  }
  return static_cast<AdamWParamState&>(*slot);
}

}  // namespace

torch::Tensor FusedAdamW::step(LossClosure closure) {
  torch::NoGradGuard no_grad;
  torch::Tensor loss;
  if (closure) {
    torch::AutoGradMode enable_grad(true);
    loss = closure();
  }
  for (auto& group : param_groups_) {
    const auto& options = static_cast<const AdamWOptions&>(group.options());
    TORCH_CHECK(!options.amsgrad(), "hft's fused AdamW does not do amsgrad");
    std::vector<torch::Tensor> parameters, gradients, exp_avgs, exp_avg_sqs, steps;
    for (const auto& parameter : group.params()) {
      if (!parameter.grad().defined()) continue;
      AdamWParamState& state = state_of(state_, parameter);
      state.step(state.step() + 1);
      parameters.push_back(parameter);
      gradients.push_back(parameter.grad());
      exp_avgs.push_back(state.exp_avg());
      exp_avg_sqs.push_back(state.exp_avg_sq());
      // The kernel reads the step count from a float32 tensor, as torch.optim keeps it.
      steps.push_back(torch::full({}, static_cast<double>(state.step()), parameter.options().dtype(torch::kFloat32)));
    }
    if (parameters.empty()) continue;
    const auto [beta1, beta2] = options.betas();
    at::_fused_adamw_(parameters, gradients, exp_avgs, exp_avg_sqs, /*max_exp_avg_sqs=*/{}, steps, options.lr(), beta1,
                      beta2, options.weight_decay(), options.eps(), /*amsgrad=*/false, /*maximize=*/false);
  }
  return loss;
}

}  // namespace hft::train
