#include "hft/model/classification_loss.h"

#include <torch/nn/functional/loss.h>

namespace hft::model {

torch::Tensor classification_loss(const torch::Tensor& logits, const torch::Tensor& labels,
                                  std::optional<std::string>& problem_type) {
  namespace F = torch::nn::functional;
  const int64_t num_labels = logits.size(-1);
  if (!problem_type) {
    const bool integer_labels = labels.scalar_type() == torch::kInt64 || labels.scalar_type() == torch::kInt32;
    problem_type = num_labels == 1       ? "regression"
                   : integer_labels      ? "single_label_classification"
                                         : "multi_label_classification";
  }
  if (*problem_type == "regression") {
    if (num_labels == 1) return F::mse_loss(logits.squeeze(), labels.squeeze().to(logits.dtype()));
    return F::mse_loss(logits, labels.to(logits.dtype()));
  }
  if (*problem_type == "single_label_classification")
    return F::cross_entropy(logits.view({-1, num_labels}), labels.view({-1}));
  return F::binary_cross_entropy_with_logits(logits, labels.to(logits.dtype()));
}

}  // namespace hft::model
