// LoRA (Hu et al., 2021) on one projection, as PEFT's lora.Linear computes it:
//   y = base(x) + lora_B(lora_A(dropout(x))) * scaling,   A [r, in], B [out, r]
// Every projection of hft's architectures can take an adapter: AdaptableLinear (a torch Linear
// that knows about it) and GPT-2's Conv1D both derive from LoraTarget. Without an adapter the
// forward pass is the plain projection.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include <cstdint>
#include <optional>

#include "hft/model/token_packing.h"  // TokenPacking

namespace hft::model {

// LoraConfig's r, lora_alpha, lora_dropout and use_rslora.
struct LoraShape {
  int64_t r = 16;
  double alpha = 32;
  double dropout = 0.05;
  bool rslora = false;
  double scaling() const;  // alpha / r; alpha / sqrt(r) with rsLoRA
};

class LoraTarget {
 public:
  virtual ~LoraTarget() = default;

  // Registers lora_A and lora_B on `self` (the projection's module: PEFT's saved names are
  // <module>.lora_A.weight), drawn from the default generator as PEFT draws them: nn.Linear's own
  // draws for A then B, then A again with kaiming_uniform_(a=sqrt(5)), B zeroed.
  void add_lora(torch::nn::Module& self, const LoraShape& shape);
  bool has_lora() const { return !lora_A.is_empty(); }
  // Folds scaling * B A into the frozen weight and removes the adapter from `self`
  // (merge_and_unload).
  void merge_lora(torch::nn::Module& self);

  virtual int64_t in_features() const = 0;
  virtual int64_t out_features() const = 0;

  torch::nn::Linear lora_A{nullptr}, lora_B{nullptr};

 protected:
  // `projected` (base(x)) plus the adapter's term; `projected` alone without an adapter. With
  // `packing` (x holds an encoder's packed rows) the dropout masks are the padded shape's, as torch
  // draws them.
  torch::Tensor plus_lora(const torch::Tensor& x, torch::Tensor projected, bool training,
                          const std::optional<TokenPacking>& packing = std::nullopt);
  // weight += delta, delta [out, in] (Conv1D stores its weight transposed).
  virtual void add_to_weight(const torch::Tensor& delta) = 0;

 private:
  double scaling_ = 1.0;
  double dropout_ = 0.0;
};

// torch's Linear (the same parameters, names and initialisation) that can carry an adapter.
class AdaptableLinearImpl : public torch::nn::LinearImpl, public LoraTarget {
 public:
  using torch::nn::LinearImpl::LinearImpl;
  torch::Tensor forward(const torch::Tensor& x, const std::optional<TokenPacking>& packing = std::nullopt);
  int64_t in_features() const override { return weight.size(1); }
  int64_t out_features() const override { return weight.size(0); }

 protected:
  void add_to_weight(const torch::Tensor& delta) override;
};
TORCH_MODULE(AdaptableLinear);

}  // namespace hft::model
