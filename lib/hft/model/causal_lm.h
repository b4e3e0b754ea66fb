// What every decoder's causal language-model head shares: the attention mask (causal, padding,
// an optional sliding window) and the next-token labels its loss compares with.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <optional>

namespace hft::model {

// [B, 1, L, L] bool, or undefined when the causal rule alone applies (no padding, no window
// shorter than the row): key j is visible from query i when j <= i, j is a token and, with a
// sliding window, i - j < window. A query that sees nothing (a padded position whose window
// holds only padding) is left so: scaled_dot_product_attention gives it zeros (torch's safe
// softmax, what transformers relies on too), not NaN.
torch::Tensor decoder_mask(const torch::Tensor& padding, const torch::Tensor& input_ids,
                           std::optional<int64_t> window = std::nullopt);

// Labels [B, L] shifted left by one (each position predicts the next token), -100 after the last.
torch::Tensor next_token_labels(const torch::Tensor& labels);

}  // namespace hft::model
