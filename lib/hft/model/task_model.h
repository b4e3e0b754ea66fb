// What every network with a task head (an architecture's backbone plus, say, its
// sequence-classification head) offers the loops: a batch in, the head's outputs (and the loss
// when the batch has labels) out. Parameters are registered under the exact `transformers`
// names, so a state dict maps one to one.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <functional>
#include <string>

#include "hft/data/batch.h"  // Batch

namespace hft::model {

struct ModelOutput {
  torch::Tensor logits;             // the head's shape: [B, C] for sequence classification
  torch::Tensor last_hidden_state;  // [B, L, H]
  torch::Tensor loss;               // scalar; undefined without labels
};

// Picks parameters by their transformers name ("classifier.weight").
using ParameterSelection = std::function<bool(const std::string& name)>;

inline bool every_parameter(const std::string& /*name*/) { return true; }

class TaskModel : public torch::nn::Module {
 public:
  virtual ModelOutput forward(const data::Batch& inputs) = 0;
  // Recompute each layer's activations in backward instead of keeping them (saves memory; the
  // recipe's activation_checkpointing).
  virtual void set_activation_recomputation(bool enabled) = 0;
  // Draws the selected parameters from the default generator as the architecture's
  // _init_weights in transformers does, in its order, and leaves the others as they are: so a
  // new head gets, from the same seed, the very numbers transformers gives it.
  virtual void initialize(const ParameterSelection& selected) = 0;
};

}  // namespace hft::model
