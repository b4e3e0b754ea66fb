// Multi-head self-attention through LibTorch's scaled_dot_product_attention, shared by the
// architectures whose attention is plain (BERT family, DistilBERT).
#pragma once

#include <torch/types.h>

namespace hft::model {

// query, key, value: [B, L, H] projections; mask: [B, 1, 1, L] bool (true: may attend) or
// undefined. Returns the heads' context merged back to [B, L, H].
torch::Tensor multi_head_attention(const torch::Tensor& query, const torch::Tensor& key, const torch::Tensor& value,
                                   int64_t heads, const torch::Tensor& mask, double dropout_p);

}  // namespace hft::model
