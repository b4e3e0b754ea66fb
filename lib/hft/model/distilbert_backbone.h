// The DistilBERT backbone (transformers' DistilBertModel, parameters `distilbert.*`): embeddings
// and the transformer blocks, shared by the sequence-classification, token-classification and
// multiple-choice models (distilbert.cpp, distilbert_token_classifier.cpp).
#pragma once

#include <memory>

#include "hft/data/batch.h"               // Batch
#include "hft/model/distilbert_layers.h"  // DistilBertConfig, DistilBertEmbeddings, DistilBertTransformer
#include "hft/model/model_config.h"       // ModelConfig
#include "hft/model/task_model.h"         // ParameterSelection, TaskModel

namespace hft::model {

class DistilBertBackboneImpl : public torch::nn::Module {
 public:
  DistilBertBackboneImpl(const DistilBertConfig& config, const std::string& config_path);
  // input_ids [B, L] (token types are not read) -> last hidden state [B, L, D]. In training on
  // the CPU the blocks skip the padding, which then holds zeros.
  torch::Tensor forward(const data::Batch& inputs);
  void set_activation_recomputation(bool enabled) { transformer->set_activation_recomputation(enabled); }
  // After the model's normal draw, as transformers does: a sinusoidal position table replaces it.
  void after_initialization(const ParameterSelection& selected);

  DistilBertEmbeddings embeddings{nullptr};
  DistilBertTransformer transformer{nullptr};

 private:
  bool sinusoidal_positions_;
};
TORCH_MODULE(DistilBertBackbone);

// DistilBertForTokenClassification (distilbert_token_classifier.cpp).
std::shared_ptr<TaskModel> build_distilbert_token_classifier(const ModelConfig& config);

}  // namespace hft::model
