// torch's CPU dropout, drawn faster. at::dropout draws noise = bernoulli(1 - p) / (1 - p) one
// element at a time through a per-element callback, two Mersenne Twister numbers each; at SST-2
// shapes that serial loop took about a fifth of a training step's time. Here the same numbers come
// from the same generator in a tight loop: every mask is the one torch would draw, and the
// generator ends where torch leaves it, so a run keeps the Trainer's masks. The first use in a
// process checks this against torch's own draw; where they would differ (another torch build),
// torch's draw is used.
#pragma once

#include <torch/types.h>

namespace hft::model {

// The noise at::dropout multiplies a CPU tensor of `shape` by: 1 / (1 - p) where kept, 0 where
// dropped, drawn from the default CPU generator.
torch::Tensor dropout_noise(at::IntArrayRef shape, double probability, const torch::TensorOptions& options);

// Whether this process draws with the tight loop: true where it draws what this torch's
// bernoulli_ draws.
bool draws_dropout_fast();

// at::dropout(input, probability, training), with the noise above for CPU tensors.
torch::Tensor dropout(const torch::Tensor& input, double probability, bool training);

}  // namespace hft::model
