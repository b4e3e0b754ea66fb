// The oracle's batches (tests/oracle/model_fixtures.py) as the models get them from a collator.
#pragma once

#include <torch/torch.h>

#include "hft/data/batch.h"
#include "hft/model/labelled_cross_entropy.h"  // kIgnoredLabel
#include "hft/model/safetensors.h"

namespace hft::testing {

// The batch ([B, L], or [B, N, L] for choices) with its labels when it has them, and what the
// collator counts on the host: the real tokens, and the labels a loss averages over.
inline data::Batch oracle_batch(const model::SafetensorsFile& expected) {
  data::Batch batch{expected.tensor("input_ids").clone(), expected.tensor("attention_mask").clone(),
                    expected.tensor("token_type_ids").clone(),
                    expected.contains("labels") ? expected.tensor("labels").clone() : torch::Tensor()};
  batch.num_tokens = batch.attention_mask.sum().item<int64_t>();
  if (batch.labels.defined()) batch.label_count = batch.labels.ne(model::kIgnoredLabel).sum().item<int64_t>();
  return batch;
}

// Row 0 alone, without labels. The oracle's row 0 has no padding, so attention gets no mask for
// it (data::padding_mask) and its outputs must still be the row's outputs in transformers'.
inline data::Batch unpadded_first_row(const data::Batch& inputs) {
  data::Batch row{inputs.input_ids.narrow(0, 0, 1), inputs.attention_mask.narrow(0, 0, 1),
                  inputs.token_type_ids.narrow(0, 0, 1), torch::Tensor()};
  row.num_tokens = row.attention_mask.sum().item<int64_t>();
  return row;
}

}  // namespace hft::testing
