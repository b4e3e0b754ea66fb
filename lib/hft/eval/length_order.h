// Evaluation batches regrouped by length. In file order a batch is padded to its longest row
// (the SST-2 dev set at batch 16: 1.74x its real tokens); with the rows sorted by length, longest
// first, and cut into batches of the same size, padding almost vanishes and each row's logits are
// the same up to float rounding. The caller puts the logits back in input order with input_rows.
#pragma once

#include <torch/types.h>

#include <optional>
#include <vector>

#include "hft/data/batch.h"  // Batch

namespace hft::eval {

struct LengthOrdered {
  std::vector<data::Batch> batches;  // the same rows and batch size, longest rows first
  torch::Tensor input_rows;                 // [N] int64: the input position of each regrouped row
};

// nullopt when regrouping could change what the model sees or computes: fewer than two batches,
// a batch that is not right-padded, no padded position to read the pad values from, batches
// with labels and batches without them mixed (the regrouped batches could not hold both), or
// labels per token (eval_loss averages per batch).
std::optional<LengthOrdered> order_by_length(const std::vector<data::Batch>& batches);

}  // namespace hft::eval
