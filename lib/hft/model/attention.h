// Multi-head self-attention through LibTorch's scaled_dot_product_attention, shared by the
// architectures whose attention is plain (BERT family, DistilBERT).
#pragma once

#include <torch/types.h>

#include <optional>

namespace hft::model {

// A mask for scaled_dot_product_attention: an undefined tensor (no padding) as no mask at all;
// passed as it is, it would be a mask without a dtype, which torch refuses.
inline std::optional<torch::Tensor> optional_mask(const torch::Tensor& mask) {
  return mask.defined() ? std::optional<torch::Tensor>(mask) : std::nullopt;
}

// query, key, value: [B, L, H] projections; mask: [B, 1, 1, L] bool (true: may attend) or
// undefined. Returns the heads' context merged back to [B, L, H].
torch::Tensor multi_head_attention(const torch::Tensor& query, const torch::Tensor& key, const torch::Tensor& value,
                                   int64_t heads, const torch::Tensor& mask, double dropout_p);

}  // namespace hft::model
