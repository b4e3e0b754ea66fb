// Batch: what every run passes from the collator to the model, the loop and the metrics. Named
// tensors in fields (not a string-keyed map), labels of whatever shape the task gives, and the
// count of labels a loss averages over, so a token-level loss fits without touching the loops.
#pragma once

#include <ATen/core/Tensor.h>  // at::Tensor (not all of torch)

#include <cstdint>

namespace hft::data {

struct Batch {
  at::Tensor input_ids;       // [B, L] int64 (a task with choices may add a dimension: [B, N, L])
  at::Tensor attention_mask;  // input_ids' shape, int64: 1 on tokens, 0 on padding
  at::Tensor token_type_ids;  // input_ids' shape, int64; undefined: all zeros (segment A)
  at::Tensor labels;          // the task's shape: [B] class ids (-1: unlabelled) or float targets,
                              // [B, C] float multi-hot, [B, L] tag ids, ...; undefined without labels
  int64_t label_count = 0;    // the labels a loss averages over (rows, or label tokens); 0 without labels
  int64_t num_tokens = 0;     // real (non-padding) tokens in the batch
  at::Tensor position_ids;    // [B, L] int64, packed rows: 0 where each example starts; undefined: 0..L-1
};

// The attention mask when some position is padding, else an undefined tensor; decided on the
// host (num_tokens), so no forward reads the mask back from the device. Without a mask, attention
// may take its fastest (flash) kernels. A batch whose num_tokens was never set keeps its mask.
inline at::Tensor padding_mask(const Batch& batch) {
  const bool unpadded = batch.attention_mask.defined() && batch.num_tokens == batch.attention_mask.numel();
  return unpadded ? at::Tensor() : batch.attention_mask;
}

}  // namespace hft::data
