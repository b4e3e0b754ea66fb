// ELECTRA's sequence summary (transformers' ElectraSequenceSummary, parameters
// sequence_summary.summary.*), which its multiple-choice head scores each choice from: one
// position or the mean of the sequence, dropout, an optional projection, an activation, dropout,
// all chosen by config.json's summary_* keys.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include <string>

#include "hft/model/activations.h"   // Activation
#include "hft/model/model_config.h"  // ModelConfig
#include "hft/model/lora_layer.h"  // AdaptableLinear

namespace hft::model {

class SequenceSummaryImpl : public torch::nn::Module {
 public:
  // summary_type (first | last | mean | cls_index, without an index: the last position),
  // summary_use_proj, summary_proj_to_labels, summary_activation (absent: gelu; null: none),
  // summary_first_dropout, summary_last_dropout; ElectraConfig's defaults. Throws ModelError for
  // a summary_type hft cannot compute ("attn", which transformers cannot either).
  SequenceSummaryImpl(const ModelConfig& config, int64_t hidden_size);
  torch::Tensor forward(const torch::Tensor& hidden);  // [B, L, H] -> [B, H] (or [B, num_labels])

  AdaptableLinear summary{nullptr};  // only with summary_use_proj

 private:
  std::string type_;
  Activation activation_;
  torch::nn::Dropout first_dropout_{nullptr}, last_dropout_{nullptr};
};
TORCH_MODULE(SequenceSummary);

}  // namespace hft::model
