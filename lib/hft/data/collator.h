// The collator: rows of an EncodedDataset -> one padded batch of tensors, with the semantics of
// transformers.DataCollatorWithPadding (tokenizer.pad): pad to the longest row of the batch, or
// to max_length when pad_to_max_length; round the length up to pad_to_multiple_of; pad on the
// tokenizer's side with its pad id; attention_mask 0 and token_type_ids 0 on padding.
#pragma once

#include <ATen/core/Tensor.h>  // at::Tensor (not all of torch)

#include <cstdint>
#include <span>

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

// One batch, every tensor on the CPU, as DataCollatorWithPadding returns it.
struct Batch {
  at::Tensor input_ids;       // [B, L] int64
  at::Tensor attention_mask;  // [B, L] int64, 1 on tokens, 0 on padding
  at::Tensor token_type_ids;  // [B, L] int64; undefined when options.token_type_ids is false
  at::Tensor labels;          // [B] int64 class ids (-1: unlabeled), [B] float32 targets (regression),
                              // [B, num_labels] float32 multi-hot (multi-label); undefined without labels
  int64_t num_tokens = 0;     // real (non-padding) tokens in the batch
};

// The padded length of a batch whose longest row has `longest` tokens.
int64_t padded_length(int64_t longest, const CollatorOptions& options);

Batch collate(const EncodedDataset& dataset, std::span<const int64_t> rows, const CollatorOptions& options);

}  // namespace hft::data
