// What every *ForMultipleChoice model shares: the choices of a batch ([B, N, L]) run through the
// backbone as B x N rows, and one score per row comes back as the question's logits [B, N]
// (their loss: labelled_cross_entropy, labels [B]).
#pragma once

#include <torch/types.h>

#include "hft/data/batch.h"  // Batch

namespace hft::model {

// input_ids, attention_mask, token_type_ids [B, N, L] -> [B*N, L]; labels dropped (they are per
// question, not per row); num_tokens kept, so an unpadded batch stays unpadded.
data::Batch flatten_choices(const data::Batch& choices);

// scores [B*N, 1] (or [B*N]) -> logits [B, N], for a batch of `choices` ([B, N, L] inputs).
torch::Tensor scores_per_choice(const torch::Tensor& scores, const data::Batch& choices);

}  // namespace hft::model
