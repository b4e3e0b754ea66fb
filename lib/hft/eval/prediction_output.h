// Writing predictions: one row per input row, in input order: its index, the predicted label
// (or value, for regression) and the class probabilities; TSV or JSON Lines by extension.
#pragma once

#include <torch/types.h>

#include <string>
#include <vector>

namespace hft::eval {

// True for the extensions write_predictions knows: .tsv and .jsonl.
bool is_prediction_file(const std::string& path);

// logits: [rows, C]. The file is written atomically.
void write_predictions(const std::string& path, const torch::Tensor& logits, const std::vector<std::string>& labels,
                       bool regression);

}  // namespace hft::eval
