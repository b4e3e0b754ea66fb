// Writing predictions: one row per input row, in input order: its index, the predicted label
// (or value, for regression) and the class probabilities; TSV or JSON Lines by extension.
#pragma once

#include <torch/types.h>

#include <string>
#include <vector>

namespace hft::task {

// logits: [rows, C]. The file is written atomically.
void write_classification_predictions(const std::string& path, const torch::Tensor& logits,
                                      const std::vector<std::string>& labels, bool regression);

}  // namespace hft::task
