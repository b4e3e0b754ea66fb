#include "hft/model/architecture.h"
#include "hft/model/model_error.h"

namespace hft::model {
namespace {

const std::vector<Architecture>& architectures() {
  static const std::vector<Architecture> all = {
      bert_architecture(),
      roberta_architecture(),
      electra_architecture(),
      distilbert_architecture(),
      modernbert_architecture(),
      llama_architecture(),
      mistral_architecture(),
      qwen2_architecture(),
      qwen3_architecture(),
      gpt2_architecture(),
  };
  return all;
}

}  // namespace

std::vector<std::string> supported_model_types() {
  std::vector<std::string> names;
  for (const auto& a : architectures()) names.push_back(a.model_type);
  return names;
}

const Architecture& find_architecture(const ModelConfig& config) {
  for (const auto& a : architectures())
    if (a.model_type == config.model_type) return a;
  std::string supported;
  for (const auto& name : supported_model_types()) supported += (supported.empty() ? "" : ", ") + name;
  throw ModelError(config.path + ": model_type: `" + config.model_type + "` is not supported; expected one of: " +
                   supported);
}

}  // namespace hft::model
