// The Trainer's optimizer: AdamW with two parameter groups, weight decay on all parameters but
// biases and normalisation weights (Trainer.get_decay_parameter_names), plus the two things the
// loop does to it each step: set the scheduled learning rate and clip gradients.
#pragma once

#include <torch/nn/module.h>
#include <torch/optim/adamw.h>

#include <memory>
#include <string>
#include <vector>

#include "hft/config/recipe.h"  // TrainingArguments

namespace hft::train {

// Names of the parameters that get weight decay: not inside a LayerNorm, and no name component
// that is (or ends in) a norm or contains "bias".
std::vector<std::string> decay_parameter_names(const torch::nn::Module& module);

std::unique_ptr<torch::optim::AdamW> make_adamw(const torch::nn::Module& module, const config::TrainingArguments& args);

void set_learning_rate(torch::optim::Optimizer& optimizer, double learning_rate);

// torch.nn.utils.clip_grad_norm_ without leaving the device: returns the total L2 norm of the
// gradients (before clipping) as a 0-dim tensor and scales them so it is at most max_norm.
// A max_norm of infinity only measures.
torch::Tensor clip_grad_norm(const std::vector<torch::Tensor>& parameters, double max_norm);

}  // namespace hft::train
