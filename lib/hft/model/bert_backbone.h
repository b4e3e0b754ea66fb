// The BERT-family backbone (embeddings, optional projection, encoder, optional pooler) and the
// classification heads built on it. Architecture files (bert.cpp, roberta.cpp, electra.cpp)
// only choose the options and the names.
#pragma once

#include "hft/model/bert_layers.h"        // BertEmbeddings, BertEncoder, BertFamilyConfig
#include "hft/data/batch.h"  // Batch
#include "hft/model/lora_layer.h"  // AdaptableLinear

namespace hft::model {

struct BackboneOptions {
  bool pooler = true;              // BERT: dense + tanh on the first token
  bool roberta_positions = false;  // positions count from pad_token_id + 1, skipping padding
};

struct BackboneOutput {
  torch::Tensor last_hidden_state;  // [B, L, H]
  torch::Tensor pooled;             // [B, H]; undefined without a pooler
};

class BertBackboneImpl : public torch::nn::Module {
 public:
  BertBackboneImpl(const BertFamilyConfig& config, BackboneOptions options, const std::string& config_path);
  BackboneOutput forward(const data::Batch& inputs);
  void set_activation_recomputation(bool enabled) { encoder->set_activation_recomputation(enabled); }

  BertEmbeddings embeddings{nullptr};
  AdaptableLinear embeddings_project{nullptr};  // ELECTRA when embedding_size != hidden_size
  BertEncoder encoder{nullptr};
  AdaptableLinear pooler_dense{nullptr};        // registered as pooler.dense

 private:
  torch::Tensor position_ids(const torch::Tensor& input_ids) const;

  BackboneOptions options_;
  int64_t pad_token_id_;
};
TORCH_MODULE(BertBackbone);

// The RoBERTa/ELECTRA head on the first token: dropout, dense, activation, dropout, out_proj.
class FirstTokenHeadImpl : public torch::nn::Module {
 public:
  FirstTokenHeadImpl(int64_t hidden_size, int64_t num_labels, double dropout, Activation activation);
  torch::Tensor forward(const torch::Tensor& last_hidden_state);  // [B, L, H] -> [B, C]

  AdaptableLinear dense{nullptr}, out_proj{nullptr};
  torch::nn::Dropout dropout{nullptr};

 private:
  Activation activation_;
};
TORCH_MODULE(FirstTokenHead);

}  // namespace hft::model
