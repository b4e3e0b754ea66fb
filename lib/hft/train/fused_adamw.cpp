#include "hft/train/fused_adamw.h"

#include <ATen/ops/_foreach_add.h>
#include <ATen/ops/_foreach_sub.h>
#include <ATen/ops/_fused_adamw.h>
#include <torch/types.h>

#include <memory>
#include <vector>

namespace hft::train {
namespace {

using torch::optim::AdamWOptions;
using torch::optim::AdamWParamState;

using StateMap = ska::flat_hash_map<void*, std::unique_ptr<torch::optim::OptimizerParamState>>;

// The parameter's moments, created as zeros on its first step.
AdamWParamState& state_of(StateMap& states, const torch::Tensor& parameter) {
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

torch::Tensor& FusedAdamW::step_count(const torch::Tensor& parameter) {
  torch::Tensor& count = step_counts_[parameter.unsafeGetTensorImpl()];
  if (!count.defined()) {
    const auto step = static_cast<double>(state_of(state_, parameter).step());  // 0, or a loaded checkpoint's
    count = torch::full({}, step, parameter.options().dtype(torch::kFloat32));
  }
  return count;
}

void FusedAdamW::update(const Update& how) {
  torch::NoGradGuard no_grad;
  for (auto& group : param_groups_) {
    const auto& options = static_cast<const AdamWOptions&>(group.options());
    TORCH_CHECK(!options.amsgrad(), "hft's fused AdamW does not do amsgrad");
    std::vector<torch::Tensor> parameters, gradients, exp_avgs, exp_avg_sqs, steps;
    for (const auto& parameter : group.params()) {
      if (!parameter.grad().defined()) continue;
      AdamWParamState& state = state_of(state_, parameter);
      parameters.push_back(parameter);
      gradients.push_back(parameter.grad());
      exp_avgs.push_back(state.exp_avg());
      exp_avg_sqs.push_back(state.exp_avg_sq());
      steps.push_back(step_count(parameter));
    }
    if (parameters.empty()) continue;
    // As torch.optim's _fused_adamw: count the step, update, and take the count back where the
    // kernel skipped the update for overflowed gradients.
    at::_foreach_add_(steps, 1);
    const auto [beta1, beta2] = options.betas();
    if (how.learning_rate)
      at::_fused_adamw_(parameters, gradients, exp_avgs, exp_avg_sqs, /*max_exp_avg_sqs=*/{}, steps, *how.learning_rate,
                        beta1, beta2, options.weight_decay(), options.eps(), /*amsgrad=*/false, /*maximize=*/false,
                        /*grad_scale=*/std::nullopt, how.found_inf);
    else
      at::_fused_adamw_(parameters, gradients, exp_avgs, exp_avg_sqs, /*max_exp_avg_sqs=*/{}, steps, options.lr(), beta1,
                        beta2, options.weight_decay(), options.eps(), /*amsgrad=*/false, /*maximize=*/false,
                        /*grad_scale=*/std::nullopt, how.found_inf);
    if (how.found_inf) at::_foreach_sub_(steps, std::vector<torch::Tensor>(steps.size(), *how.found_inf));
  }
}

torch::Tensor FusedAdamW::step(LossClosure closure) {
  torch::Tensor loss;
  if (closure) {
    torch::AutoGradMode enable_grad(true);
    loss = closure();
  }
  update({});
  return loss;
}

void FusedAdamW::step(const torch::Tensor& learning_rate, const torch::Tensor& found_inf) {
  update({learning_rate, found_inf});
}

void FusedAdamW::save(torch::serialize::OutputArchive& archive) const {
  // The counts come back to the host in one copy; the AdamW state keeps them as integers.
  std::vector<void*> keys;
  std::vector<torch::Tensor> counts;
  for (const auto& [key, count] : step_counts_) keys.push_back(key), counts.push_back(count);
  if (!counts.empty()) {
    const torch::Tensor on_host = torch::stack(counts).to(torch::kCPU).to(torch::kInt64);
    for (size_t i = 0; i < keys.size(); ++i)
      static_cast<AdamWParamState&>(*state_.at(keys[i])).step(on_host[static_cast<int64_t>(i)].item<int64_t>());
  }
  torch::optim::AdamW::save(archive);
}

void FusedAdamW::load(torch::serialize::InputArchive& archive) {
  torch::optim::AdamW::load(archive);
  step_counts_.clear();  // made again from the loaded counts at the next step
}

}  // namespace hft::train
