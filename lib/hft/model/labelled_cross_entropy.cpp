#include "hft/model/labelled_cross_entropy.h"

#include <torch/nn/functional/loss.h>

namespace hft::model {

torch::Tensor labelled_cross_entropy(const torch::Tensor& logits, const torch::Tensor& labels,
                                 std::optional<double> num_items_in_batch, double label_smoothing) {
  namespace F = torch::nn::functional;
  const torch::Tensor flat_logits = logits.reshape({-1, logits.size(-1)}).to(torch::kFloat32);  // [T, C]
  const torch::Tensor flat_labels = labels.reshape({-1});                                        // [T]
  auto options = F::CrossEntropyFuncOptions().ignore_index(kIgnoredLabel).label_smoothing(label_smoothing);
  if (!num_items_in_batch) return F::cross_entropy(flat_logits, flat_labels, options.reduction(torch::kMean));
  const torch::Tensor sum = F::cross_entropy(flat_logits, flat_labels, options.reduction(torch::kSum));
  return sum / *num_items_in_batch;
}

}  // namespace hft::model
