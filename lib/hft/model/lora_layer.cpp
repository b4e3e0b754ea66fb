#include "hft/model/lora_layer.h"

#include <torch/nn/functional/linear.h>
#include <torch/nn/init.h>

#include <cmath>


namespace hft::model {

double LoraShape::scaling() const {
  return rslora ? alpha / std::sqrt(static_cast<double>(r)) : alpha / static_cast<double>(r);
}

void LoraTarget::add_lora(torch::nn::Module& self, const LoraShape& shape) {
  namespace nn = torch::nn;
  // Constructing draws as nn.Linear(in, r, bias=False) and nn.Linear(r, out, bias=False) do.
  lora_A = self.register_module("lora_A", nn::Linear(nn::LinearOptions(in_features(), shape.r).bias(false)));
  lora_B = self.register_module("lora_B", nn::Linear(nn::LinearOptions(shape.r, out_features()).bias(false)));
  torch::NoGradGuard no_grad;
  nn::init::kaiming_uniform_(lora_A->weight, std::sqrt(5.0));  // reset_lora_parameters(init_lora_weights=True)
  nn::init::zeros_(lora_B->weight);
  lora_A->to(self.parameters().front().device());
  lora_B->to(self.parameters().front().device());
  scaling_ = shape.scaling();
  dropout_ = shape.dropout;
}

void LoraTarget::merge_lora(torch::nn::Module& self) {
  if (!has_lora()) return;
  {
    torch::NoGradGuard no_grad;
    add_to_weight(lora_B->weight.mm(lora_A->weight) * scaling_);
  }
  self.unregister_module("lora_A");
  self.unregister_module("lora_B");
  lora_A = nullptr;
  lora_B = nullptr;
}

torch::Tensor LoraTarget::plus_lora(const torch::Tensor& x, torch::Tensor projected, bool training,
                                    const std::optional<TokenPacking>& packing) {
  if (!has_lora()) return projected;
  // PEFT's lora_dropout is nn.Identity at p = 0: no numbers drawn.
  const torch::Tensor input = dropout_ > 0 ? hidden_dropout(x, dropout_, training, packing) : x;
  return projected + lora_B(lora_A(input)) * scaling_;
}

torch::Tensor AdaptableLinearImpl::forward(const torch::Tensor& x, const std::optional<TokenPacking>& packing) {
  return plus_lora(x, torch::nn::functional::linear(x, weight, bias), is_training(), packing);
}

void AdaptableLinearImpl::add_to_weight(const torch::Tensor& delta) { weight.add_(delta); }

}  // namespace hft::model
