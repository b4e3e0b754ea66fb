// Activation recomputation (the recipe's activation_checkpointing, torch.utils.checkpoint): run a
// layer without keeping its activations, and run it again in backward to get them, trading
// compute for memory.
#pragma once

#include <torch/types.h>

#include <functional>

namespace hft::model {

using LayerFunction = std::function<torch::Tensor(const torch::Tensor&)>;

// fn(input), with fn's activations recomputed in backward. The random state of input's device
// is replayed, so dropout draws the same masks both times, and so is the autocast state of
// forward (bf16 recomputed as bf16).
torch::Tensor recomputed_in_backward(LayerFunction fn, const torch::Tensor& input);

}  // namespace hft::model
