// The loss of a sequence-classification head, chosen from problem_type exactly as the
// transformers *ForSequenceClassification models choose it.
#pragma once

#include <torch/types.h>

#include <optional>
#include <string>

namespace hft::model {

// regression: MSE; single_label_classification: cross-entropy; multi_label_classification:
// BCE with logits. Without a problem_type: regression for one label, single-label for integer
// labels, multi-label otherwise (and `problem_type` is set to what was chosen).
torch::Tensor classification_loss(const torch::Tensor& logits, const torch::Tensor& labels,
                                  std::optional<std::string>& problem_type);

}  // namespace hft::model
