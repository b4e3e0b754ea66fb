#include "hft/model/activations.h"

#include <torch/nn/functional/activation.h>

#include "hft/model/model_error.h"

namespace hft::model {

Activation activation_by_name(const std::string& name, const std::string& config_path, const std::string& key) {
  namespace F = torch::nn::functional;
  if (name == "gelu") return [](const torch::Tensor& x) { return torch::gelu(x); };
  if (name == "gelu_new" || name == "gelu_pytorch_tanh" || name == "gelu_fast")
    return [](const torch::Tensor& x) { return torch::gelu(x, "tanh"); };
  if (name == "relu") return [](const torch::Tensor& x) { return torch::relu(x); };
  if (name == "silu" || name == "swish") return [](const torch::Tensor& x) { return torch::silu(x); };
  if (name == "tanh") return [](const torch::Tensor& x) { return torch::tanh(x); };
  throw ModelError(config_path + ": " + key + ": unsupported activation `" + name +
                   "`; expected one of gelu, gelu_new, gelu_pytorch_tanh, relu, silu, tanh");
}

}  // namespace hft::model
