// hidden_act by name, as transformers' ACT2FN maps it.
#pragma once

#include <torch/types.h>

#include <functional>
#include <string>

namespace hft::model {

using Activation = std::function<torch::Tensor(const torch::Tensor&)>;

// "gelu" (exact, erf), "gelu_new" / "gelu_pytorch_tanh" (tanh approximation), "relu", "silu",
// "swish", "tanh". Throws ModelError naming `config_path` and `key` (the config.json key the name
// came from) for an unknown name.
Activation activation_by_name(const std::string& name, const std::string& config_path,
                              const std::string& key = "hidden_act");

}  // namespace hft::model
