#include "hft/model/causal_lm.h"

#include <torch/torch.h>

#include "hft/model/labelled_cross_entropy.h"  // kIgnoredLabel

namespace hft::model {

torch::Tensor decoder_mask(const torch::Tensor& padding, const torch::Tensor& input_ids, std::optional<int64_t> window,
                           const torch::Tensor& positions) {
  const int64_t length = input_ids.size(1);
  const bool windowed = window && *window < length;
  if (positions.defined()) {
    const torch::Tensor example = positions.eq(0).cumsum(1);                  // [B, L] which example a token is in
    const torch::Tensor same = example.unsqueeze(2) == example.unsqueeze(1);  // [B, L, L]
    const torch::Tensor rest = decoder_mask(padding, input_ids, window);
    return rest.defined() ? rest & same.unsqueeze(1) : same.tril().unsqueeze(1);
  }
  if (!padding.defined() && !windowed) return torch::Tensor();
  const auto flags = input_ids.options().dtype(torch::kBool);
  torch::Tensor visible = torch::ones({length, length}, flags).tril();
  if (windowed) visible = visible.triu(1 - *window);  // j > i - window
  const torch::Tensor mask = padding.defined() ? visible.unsqueeze(0) & padding.to(torch::kBool).unsqueeze(1)
                                               : visible.unsqueeze(0).expand({input_ids.size(0), length, length});
  return mask.unsqueeze(1);
}

std::pair<torch::Tensor, torch::Tensor> append_to(KvLayer& layer, const torch::Tensor& keys, const torch::Tensor& values) {
  layer.keys = layer.keys.defined() ? torch::cat({layer.keys, keys}, 2) : keys;
  layer.values = layer.values.defined() ? torch::cat({layer.values, values}, 2) : values;
  return {layer.keys, layer.values};
}

torch::Tensor cached_decoder_mask(int64_t n, int64_t past, std::optional<int64_t> window, const torch::Device& device) {
  const auto flags = torch::TensorOptions().dtype(torch::kBool).device(device);
  torch::Tensor visible = torch::ones({n, past + n}, flags).tril(past);
  if (window) visible = visible.triu(past + 1 - *window);
  return visible.view({1, 1, n, past + n});
}

torch::Tensor next_token_labels(const torch::Tensor& labels) {
  return torch::constant_pad_nd(labels.narrow(1, 1, labels.size(1) - 1), {0, 1}, kIgnoredLabel);
}

}  // namespace hft::model
