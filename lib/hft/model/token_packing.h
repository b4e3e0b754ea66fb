// Skipping the padding: a padded batch's real tokens packed into rows, so that the position-wise
// work of an encoder layer (projections, feed-forward, LayerNorm) runs on real tokens only.
// Attention still runs padded (unpack, scaled_dot_product_attention, pack). On SST-2-like data
// two thirds of a padded batch can be padding.
//
// Packing changes no number a real token gets, except for the order in which a matrix product
// sums: the padding's rows add exact zeros to the weight gradients, and dropout draws its masks
// for the padded shape, as torch draws them, and keeps the real tokens' part.
#pragma once

#include <torch/types.h>

#include <optional>

namespace hft::model {

class TokenPacking {
 public:
  // attention_mask: [B, L], 1 for tokens, 0 for padding.
  explicit TokenPacking(const torch::Tensor& attention_mask);

  torch::Tensor pack(const torch::Tensor& padded) const;    // [B, L, H] -> [T, H], T real tokens in order
  torch::Tensor unpack(const torch::Tensor& packed) const;  // [T, H] -> [B, L, H], zeros at padding

  // Dropout of packed rows with the masks torch's CPU dropout draws for the padded [B, L, H]
  // (noise = bernoulli(1 - p) / (1 - p), one value per padded element; output = input * noise).
  torch::Tensor dropout(const torch::Tensor& packed, double probability, bool training) const;

 private:
  torch::Tensor rows_;  // [T] int64: b * L + l of each real token
  int64_t batch_ = 0, length_ = 0;
};

// The packing of a training batch on the CPU that has padding on the right; none otherwise (no
// padding: no gain; padding on the left: the heads read position 0; GPUs: padding is cheap
// there, and their dropout draws its masks differently).
std::optional<TokenPacking> packing_for_training(const torch::Tensor& attention_mask, bool training);

// What the layers share, packed or not: `x` in the padded layout [B, L, H] (unpacked when
// `packing` is set), in the layers' rows (packed when set), and the dropout of their hidden
// states (the padded layout's masks when packed; hft's dropout otherwise).
torch::Tensor padded(const torch::Tensor& x, const std::optional<TokenPacking>& packing);
torch::Tensor as_rows(const torch::Tensor& x, const std::optional<TokenPacking>& packing);
torch::Tensor hidden_dropout(const torch::Tensor& x, double probability, bool training,
                             const std::optional<TokenPacking>& packing);

}  // namespace hft::model
