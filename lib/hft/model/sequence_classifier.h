// What every architecture with a sequence-classification head offers the Trainer: a batch in,
// logits (and the loss when labels are given) out. Parameters are registered under the exact
// `transformers` names, so a state dict maps one to one.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <functional>
#include <optional>
#include <string>

namespace hft::model {

// One padded batch. Shapes: [B, L] int64 for the ids and masks.
struct ModelInputs {
  torch::Tensor input_ids;
  torch::Tensor attention_mask;  // 1 for tokens, 0 for padding
  torch::Tensor token_type_ids;  // undefined: all zeros (segment A)
  torch::Tensor labels;          // [B] int64 (classes), [B] float (regression), [B, C] float (multi-label); may be undefined
};

struct ClassifierOutput {
  torch::Tensor logits;             // [B, C]
  torch::Tensor last_hidden_state;  // [B, L, H]
  torch::Tensor loss;               // scalar; undefined without labels
};

// Picks parameters by their transformers name ("classifier.weight").
using ParameterSelection = std::function<bool(const std::string& name)>;

inline bool every_parameter(const std::string& /*name*/) { return true; }

class SequenceClassifier : public torch::nn::Module {
 public:
  virtual ClassifierOutput forward(const ModelInputs& inputs) = 0;
  // Recompute each layer's activations in backward instead of keeping them (saves memory).
  virtual void set_activation_checkpointing(bool enabled) = 0;
  // Draws the selected parameters from the default generator as the architecture's
  // _init_weights in transformers does, in its order, and leaves the others as they are: so a
  // new head gets, from the same seed, the very numbers transformers gives it.
  virtual void initialize(const ParameterSelection& selected) = 0;
};

}  // namespace hft::model
