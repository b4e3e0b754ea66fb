#include "hft/train/optimizer.h"

#include <torch/nn/modules/normalization.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "hft/train/fused_adamw.h"  // FusedAdamW

namespace hft::train {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// transformers' name patterns: bias, layernorm, rmsnorm, a component `norm`, a component ending `_norm`.
bool name_excludes_decay(const std::string& name) {
  const std::string n = lower(name);
  if (n.find("bias") != std::string::npos || n.find("layernorm") != std::string::npos ||
      n.find("rmsnorm") != std::string::npos)
    return true;
  size_t start = 0;
  while (start <= n.size()) {
    const size_t dot = std::min(n.find('.', start), n.size());
    const std::string component = n.substr(start, dot - start);
    if (component == "norm" || (component.size() > 5 && component.ends_with("_norm"))) return true;
    start = dot + 1;
  }
  return false;
}

// Parameters of LayerNorm modules, by full name.
std::set<std::string> layer_norm_parameter_names(const torch::nn::Module& module) {
  std::set<std::string> names;
  for (const auto& item : module.named_modules("", /*include_self=*/false)) {
    if (!item.value()->as<torch::nn::LayerNorm>()) continue;
    for (const auto& parameter : item.value()->named_parameters(/*recurse=*/false))
      names.insert(item.key() + "." + parameter.key());
  }
  return names;
}

}  // namespace

std::vector<std::string> decay_parameter_names(const torch::nn::Module& module) {
  const std::set<std::string> in_layer_norms = layer_norm_parameter_names(module);
  std::vector<std::string> names;
  for (const auto& item : module.named_parameters())
    if (!in_layer_norms.count(item.key()) && !name_excludes_decay(item.key())) names.push_back(item.key());
  return names;
}

std::unique_ptr<torch::optim::AdamW> make_adamw(const torch::nn::Module& module, const config::TrainingArguments& args) {
  const auto decay_names = decay_parameter_names(module);
  const std::set<std::string> decay(decay_names.begin(), decay_names.end());
  std::vector<torch::Tensor> with_decay, without_decay;
  for (const auto& item : module.named_parameters()) {
    if (!item.value().requires_grad()) continue;
    (decay.count(item.key()) ? with_decay : without_decay).push_back(item.value());
  }
  auto options = torch::optim::AdamWOptions(args.learning_rate)
                     .betas({args.adam_beta1, args.adam_beta2})
                     .eps(args.adam_epsilon)
                     .weight_decay(args.weight_decay);
  auto no_decay_options = std::make_unique<torch::optim::AdamWOptions>(options);
  no_decay_options->weight_decay(0.0);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(with_decay, std::make_unique<torch::optim::AdamWOptions>(options));
  groups.emplace_back(without_decay, std::move(no_decay_options));
  // adamw_torch_fused (the Trainer's default) runs one fused kernel per group; adamw_torch the
  // operations one parameter at a time. Both compute the same update.
  if (args.optim == config::OptimizerName::kAdamWTorchFused)
    return std::make_unique<FusedAdamW>(std::move(groups), options);
  return std::make_unique<torch::optim::AdamW>(std::move(groups), options);
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double learning_rate) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(learning_rate);
}

// torch's clip_grad_norm_ on its foreach path: one kernel for every gradient's norm and one to
// scale them all (on a GPU; a CPU runs them tensor by tensor), instead of three per parameter.
torch::Tensor clip_grad_norm(const std::vector<torch::Tensor>& parameters, double max_norm) {
  std::vector<torch::Tensor> grads;
  for (const auto& p : parameters)
    if (p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return torch::zeros({});
  std::vector<torch::Tensor> norms = at::_foreach_norm(grads, 2);
  for (auto& norm : norms) norm = norm.to(torch::kFloat32);  // a no-op for fp32 gradients
  const torch::Tensor total = torch::stack(norms).norm(2);  // 0-dim, on the gradients' device
  if (std::isinf(max_norm)) return total;
  const torch::Tensor scale = torch::clamp(max_norm / (total + 1e-6), /*min=*/c10::nullopt, /*max=*/1.0);
  torch::NoGradGuard no_grad;
  at::_foreach_mul_(grads, scale.to(grads.front().dtype()));  // the gradients share the parameters' dtype
  return total;
}

}  // namespace hft::train
