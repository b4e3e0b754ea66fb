#include "hft/model/attention.h"

#include <ATen/ops/scaled_dot_product_attention.h>

namespace hft::model {

torch::Tensor multi_head_attention(const torch::Tensor& query, const torch::Tensor& key, const torch::Tensor& value,
                                   int64_t heads, const torch::Tensor& mask, double dropout) {
  const int64_t batch = query.size(0), length = query.size(1), hidden = query.size(2);
  // [B, L, H] -> [B, heads, L, head_size]
  auto split_heads = [&](const torch::Tensor& x) { return x.view({batch, length, heads, hidden / heads}).transpose(1, 2); };
  const torch::Tensor context =
      at::scaled_dot_product_attention(split_heads(query), split_heads(key), split_heads(value), mask, dropout);
  return context.transpose(1, 2).reshape({batch, length, hidden});  // [B, L, H]
}

}  // namespace hft::model
