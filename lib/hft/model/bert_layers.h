// The BERT encoder's building blocks, shared by the architectures that reuse them unchanged
// (BERT, RoBERTa, ELECTRA). Submodules carry the `transformers` names (attention.self.query,
// attention.output.LayerNorm, intermediate.dense, output.dense, ...).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <optional>

#include "hft/model/activations.h"  // Activation
#include "hft/model/model_config.h"  // ModelConfig
#include "hft/model/task_model.h"  // ParameterSelection
#include "hft/model/token_packing.h"        // TokenPacking
#include "hft/model/lora_layer.h"  // AdaptableLinear

namespace hft::model {

// The BERT-family fields of config.json, with BertConfig's defaults.
struct BertFamilyConfig {
  int64_t vocab_size = 30522;
  int64_t hidden_size = 768;
  int64_t embedding_size = 768;  // ELECTRA: embeddings narrower than the encoder
  int64_t num_hidden_layers = 12;
  int64_t num_attention_heads = 12;
  int64_t intermediate_size = 3072;
  std::string hidden_act = "gelu";
  double hidden_dropout_prob = 0.1;
  double attention_probs_dropout_prob = 0.1;
  int64_t max_position_embeddings = 512;
  int64_t type_vocab_size = 2;
  double initializer_range = 0.02;
  double layer_norm_eps = 1e-12;
  int64_t pad_token_id = 0;
  std::optional<double> classifier_dropout;  // unset: hidden_dropout_prob
};

// Reads the fields above from config.json, taking `defaults` (the architecture's config class
// defaults: transformers leaves keys equal to them out of config.json) for absent keys.
BertFamilyConfig read_bert_family_config(const ModelConfig& config, const BertFamilyConfig& defaults);

// word + position + token-type embeddings, LayerNorm, dropout. [B, L] ids -> [B, L, E].
class BertEmbeddingsImpl : public torch::nn::Module {
 public:
  BertEmbeddingsImpl(const BertFamilyConfig& config, std::optional<int64_t> position_padding_idx);
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids,
                        const torch::Tensor& position_ids);

  torch::nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr}, token_type_embeddings{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(BertEmbeddings);

// One encoder layer: self-attention + residual LayerNorm, feed-forward + residual LayerNorm.
// The forward pass is written flat; the parameters sit in empty grouping modules so that
// their names are transformers' (attention.self.query.weight, output.LayerNorm.bias, ...).
class BertLayerImpl : public torch::nn::Module {
 public:
  BertLayerImpl(const BertFamilyConfig& config, const std::string& config_path);
  // hidden: [B, L, H], or [T, H] (the real tokens) with `packing`; attention_mask: [B, 1, 1, L]
  // bool, true where a key may be attended.
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                        const std::optional<TokenPacking>& packing = std::nullopt);

 private:
  torch::Tensor self_attention(const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                               const std::optional<TokenPacking>& packing);

  int64_t heads_;
  double attention_dropout_;
  Activation activation_;
  AdaptableLinear query_{nullptr}, key_{nullptr}, value_{nullptr};
  AdaptableLinear attention_dense_{nullptr}, intermediate_dense_{nullptr}, output_dense_{nullptr};
  torch::nn::LayerNorm attention_norm_{nullptr}, output_norm_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
};
TORCH_MODULE(BertLayer);

// The stack of layers, registered as `layer.0`, `layer.1`, ...
class BertEncoderImpl : public torch::nn::Module {
 public:
  BertEncoderImpl(const BertFamilyConfig& config, const std::string& config_path);
  // As BertLayer::forward, through every layer.
  torch::Tensor forward(torch::Tensor hidden, const torch::Tensor& attention_mask,
                        const std::optional<TokenPacking>& packing = std::nullopt);
  void set_activation_recomputation(bool enabled) { recompute_activations_ = enabled; }

 private:
  torch::nn::ModuleList layer_;
  bool recompute_activations_ = false;
};
TORCH_MODULE(BertEncoder);

// [B, L] 0/1 padding mask -> [B, 1, 1, L] bool mask for scaled_dot_product_attention.
torch::Tensor attention_mask_for_sdpa(const torch::Tensor& attention_mask);

// Weight initialisation as transformers' _init_weights: Linear and Embedding weights from
// N(0, std) (an Embedding's padding row zeroed), biases zero, LayerNorm weight 1 and bias 0;
// only the selected parameters (named as in `module`), in module order.
void init_weights_like_transformers(torch::nn::Module& module, double std,
                                    const ParameterSelection& selected = every_parameter);

}  // namespace hft::model
