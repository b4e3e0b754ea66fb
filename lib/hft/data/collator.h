// The collator: rows of an EncodedDataset -> one padded batch of tensors, with the semantics of
// transformers.DataCollatorWithPadding (tokenizer.pad): pad to the longest row of the batch, or
// to max_length when pad_to_max_length; round the length up to pad_to_multiple_of; pad on the
// tokenizer's side with its pad id; attention_mask 0 and token_type_ids 0 on padding.
#pragma once

#include <ATen/core/Tensor.h>  // at::Tensor (not all of torch)

#include <cstdint>
#include <functional>
#include <span>

#include "hft/data/batch.h"               // Batch
#include "hft/data/encoded_dataset.h"     // EncodedDataset
#include "hft/tokenize/special_tokens.h"  // PaddingSide

namespace hft::tokenize {
class Tokenizer;
}

namespace hft::data {

struct CollatorOptions {
  int32_t pad_id = 0;                     // the tokenizer's pad token id
  tokenize::PaddingSide padding_side = tokenize::PaddingSide::kRight;
  bool pad_to_max_length = false;         // pad every batch to max_length, not to its longest row
  int64_t max_length = 128;               // used when pad_to_max_length
  int64_t pad_to_multiple_of = 1;         // 1: no rounding; 8 helps fp16 tensor cores
  bool token_type_ids = true;             // the model takes token_type_ids (BERT); false: left out
};

// The options for `tokenizer` as run_glue.py sets up its collator: pad_to_multiple_of 8 under
// fp16; max_length is max_seq_length capped at the tokenizer's model_max_length.
CollatorOptions collator_options(const tokenize::Tokenizer& tokenizer, int64_t max_length, bool pad_to_max_length,
                                 bool fp16, bool token_type_ids);

// The padded length of a batch whose longest row has `longest` tokens.
int64_t padded_length(int64_t longest, const CollatorOptions& options);

// One batch, every tensor on the CPU, as DataCollatorWithPadding returns it; label_count is the
// rows with a label (class id >= 0, or any target). With token labels, as
// DataCollatorForTokenClassification: labels [B, L] padded with -100, label_count the labels that
// are not -100.
Batch collate(const EncodedDataset& dataset, std::span<const int64_t> rows, const CollatorOptions& options);

// Rows of `sequences_per_row` choices, as run_swag.py's DataCollatorForMultipleChoice: every
// choice of the batch padded to the longest, input_ids [B, N, L]; labels [B] choice indices.
Batch collate_choices(const EncodedDataset& dataset, std::span<const int64_t> rows, const CollatorOptions& options);

// A task's collator: rows of a split -> one padded batch on the CPU (called on loader threads).
using Collate = std::function<Batch(const EncodedDataset& dataset, std::span<const int64_t> rows)>;

// collate() with fixed options, as a Collate.
Collate padding_collator(const CollatorOptions& options);

}  // namespace hft::data
