#include "hft/model/attention.h"

#include <ATen/ops/scaled_dot_product_attention.h>

#include <cmath>
#include <limits>

#include "hft/model/dropout.h"  // dropout: torch's masks, drawn faster

namespace hft::model {

namespace {

// scaled_dot_product_attention as its math backend computes it when it drops attention weights
// (the fused CPU kernel takes no dropout): both sides scaled by sqrt(scale), masked keys at
// -inf, softmax, dropout, times value; with hft's dropout, which draws torch's masks faster.
// q, k, v: [B, heads, L, d]; mask: [B, 1, 1, L] bool or undefined.
torch::Tensor attention_with_dropout(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                                     const torch::Tensor& mask, double dropout_p) {
  const double root_scale = std::sqrt(1.0 / std::sqrt(static_cast<double>(q.size(-1))));
  torch::Tensor weights = torch::matmul(q * root_scale, (k * root_scale).transpose(-2, -1));  // [B, heads, L, L]
  if (mask.defined()) weights = weights.masked_fill(mask.logical_not(), -std::numeric_limits<double>::infinity());
  return torch::matmul(model::dropout(weights.softmax(-1), dropout_p, /*training=*/true), v);
}

}  // namespace

torch::Tensor multi_head_attention(const torch::Tensor& query, const torch::Tensor& key, const torch::Tensor& value,
                                   int64_t heads, const torch::Tensor& mask, double dropout_p) {
  const int64_t batch = query.size(0), length = query.size(1), hidden = query.size(2);
  // [B, L, H] -> [B, heads, L, head_size]
  auto split_heads = [&](const torch::Tensor& x) { return x.view({batch, length, heads, hidden / heads}).transpose(1, 2); };
  const torch::Tensor context =
      dropout_p > 0.0 && query.device().is_cpu()
          ? attention_with_dropout(split_heads(query), split_heads(key), split_heads(value), mask, dropout_p)
          : at::scaled_dot_product_attention(split_heads(query), split_heads(key), split_heads(value),
                                             optional_mask(mask), dropout_p);
  return context.transpose(1, 2).reshape({batch, length, hidden});  // [B, L, H]
}

}  // namespace hft::model
