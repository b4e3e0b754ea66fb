// What every decoder's causal language-model head shares: the attention mask (causal, padding,
// an optional sliding window) and the next-token labels its loss compares with.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "hft/model/task_model.h"  // TaskModel

namespace hft::model {

// [B, 1, L, L] bool, or undefined when the causal rule alone applies (no padding, no window
// shorter than the row, not packed): key j is visible from query i when j <= i, j is a token,
// with a sliding window i - j < window, and with `positions` ([B, L], packed rows) j belongs to
// i's example (an example starts where its position is 0), so examples never see each other. A query that sees nothing (a padded position whose window
// holds only padding) is left so: scaled_dot_product_attention gives it zeros (torch's safe
// softmax, what transformers relies on too), not NaN.
torch::Tensor decoder_mask(const torch::Tensor& padding, const torch::Tensor& input_ids,
                           std::optional<int64_t> window = std::nullopt, const torch::Tensor& positions = {});

// The keys and values of the tokens a sequence has so far, per layer, for generation.
struct KvLayer {
  torch::Tensor keys, values;  // [B, kv_heads, T, head_dim]; undefined before the first tokens
};
struct KvCache {
  std::vector<KvLayer> layers;  // grown by the model on its first call
  int64_t length = 0;           // T: tokens cached
};

// `keys`/`values` of the new tokens ([B, kv_heads, n, D]) appended to the layer's; returns all.
std::pair<torch::Tensor, torch::Tensor> append_to(KvLayer& layer, const torch::Tensor& keys, const torch::Tensor& values);

// [1, 1, n, past + n] bool: new token i (at position past + i) sees key j when j <= past + i and,
// with a sliding window, past + i - j < window.
torch::Tensor cached_decoder_mask(int64_t n, int64_t past, std::optional<int64_t> window, const torch::Device& device);

// A decoder with a causal language-model head that can extend a sequence token by token.
class CausalLanguageModel : public TaskModel {
 public:
  // Logits [B, n, vocab] of `input_ids` [B, n] (no padding) following the cache's tokens, which
  // then hold these too. Eval mode, no gradients: for generation.
  virtual torch::Tensor extend(const torch::Tensor& input_ids, KvCache& cache) = 0;
};

// Labels [B, L] shifted left by one (each position predicts the next token), -100 after the last.
torch::Tensor next_token_labels(const torch::Tensor& labels);

}  // namespace hft::model
