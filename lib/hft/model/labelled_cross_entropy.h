// The loss of the token-classification and multiple-choice heads: cross entropy over the
// labelled positions, as transformers' *ForTokenClassification and *ForMultipleChoice models
// compute it, and as the Trainer computes it over a whole optimizer step (num_items_in_batch)
// or with label smoothing (its LabelSmoother).
#pragma once

#include <torch/types.h>

#include <optional>

namespace hft::model {

// The label of a position without one (special tokens, padding, the later pieces of a word).
inline constexpr int64_t kIgnoredLabel = -100;

// logits [..., C] (token classification [B, L, C], multiple choice [B, N]), labels [...] int64
// (kIgnoredLabel ignored). Cross entropy in float32: without `num_items_in_batch` the mean over
// the labelled positions (what the models return), with it the sum divided by it (the labelled
// positions of every micro-batch of the step). `label_smoothing`: (1 - e) x that + e x the mean
// over classes of -log p, as the LabelSmoother.
torch::Tensor labelled_cross_entropy(const torch::Tensor& logits, const torch::Tensor& labels,
                                 std::optional<double> num_items_in_batch = std::nullopt, double label_smoothing = 0.0);

}  // namespace hft::model
