#include "hft/model/multiple_choice.h"

namespace hft::model {
namespace {

torch::Tensor flat_rows(const torch::Tensor& t) { return t.defined() ? t.reshape({-1, t.size(-1)}) : t; }

}  // namespace

data::Batch flatten_choices(const data::Batch& choices) {
  data::Batch rows;
  rows.input_ids = flat_rows(choices.input_ids);            // [B*N, L]
  rows.attention_mask = flat_rows(choices.attention_mask);  // [B*N, L]
  rows.token_type_ids = flat_rows(choices.token_type_ids);  // [B*N, L]
  rows.num_tokens = choices.num_tokens;
  return rows;
}

torch::Tensor scores_per_choice(const torch::Tensor& scores, const data::Batch& choices) {
  return scores.reshape({-1, choices.input_ids.size(1)});  // [B, N]
}

}  // namespace hft::model
