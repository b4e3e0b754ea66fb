#include "hft/model/causal_lm.h"

#include <torch/torch.h>

#include "hft/model/labelled_cross_entropy.h"  // kIgnoredLabel

namespace hft::model {

torch::Tensor decoder_mask(const torch::Tensor& padding, const torch::Tensor& input_ids, std::optional<int64_t> window) {
  const int64_t length = input_ids.size(1);
  const bool windowed = window && *window < length;
  if (!padding.defined() && !windowed) return torch::Tensor();
  const auto flags = input_ids.options().dtype(torch::kBool);
  torch::Tensor visible = torch::ones({length, length}, flags).tril();
  if (windowed) visible = visible.triu(1 - *window);  // j > i - window
  const torch::Tensor mask = padding.defined() ? visible.unsqueeze(0) & padding.to(torch::kBool).unsqueeze(1)
                                               : visible.unsqueeze(0).expand({input_ids.size(0), length, length});
  return mask.unsqueeze(1);
}

torch::Tensor next_token_labels(const torch::Tensor& labels) {
  return torch::constant_pad_nd(labels.narrow(1, 1, labels.size(1) - 1), {0, 1}, kIgnoredLabel);
}

}  // namespace hft::model
