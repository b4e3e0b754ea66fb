// DistilBERT's building blocks under the `transformers` names: embeddings (word + position,
// LayerNorm), transformer blocks (attention.q_lin/k_lin/v_lin/out_lin, sa_layer_norm,
// ffn.lin1/lin2, output_layer_norm) and the stack `transformer.layer.N`.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <optional>
#include <string>

#include "hft/model/activations.h"   // Activation
#include "hft/model/model_config.h"  // ModelConfig
#include "hft/model/token_packing.h" // TokenPacking
#include "hft/model/lora_layer.h"  // AdaptableLinear

namespace hft::model {

// The fields of config.json that DistilBERT reads, with DistilBertConfig's defaults.
struct DistilBertConfig {
  int64_t vocab_size = 30522;
  int64_t max_position_embeddings = 512;
  int64_t n_layers = 6;
  int64_t n_heads = 12;
  int64_t dim = 768;
  int64_t hidden_dim = 4 * 768;  // the feed-forward width
  double dropout = 0.1;
  double attention_dropout = 0.1;
  std::string activation = "gelu";
  double initializer_range = 0.02;
  double seq_classif_dropout = 0.2;
  int64_t pad_token_id = 0;
  bool sinusoidal_pos_embds = false;  // position embeddings start as a sine/cosine table
};

// Reads the fields above; throws ModelError for a dim that the heads do not divide.
DistilBertConfig read_distilbert_config(const ModelConfig& config);

// word + position embeddings, LayerNorm (eps 1e-12, fixed in transformers), dropout.
class DistilBertEmbeddingsImpl : public torch::nn::Module {
 public:
  explicit DistilBertEmbeddingsImpl(const DistilBertConfig& config);
  torch::Tensor forward(const torch::Tensor& input_ids);  // [B, L] -> [B, L, D]
  // Fills position_embeddings with the sine/cosine table of "Attention is all you need", as
  // transformers initialises it for sinusoidal_pos_embds. transformers 5 leaves the table a
  // trainable parameter that is saved and loaded like any other, so hft does too.
  void fill_sinusoidal_positions();

  torch::nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(DistilBertEmbeddings);

// Post-norm block: attention + residual + sa_layer_norm, then FFN (dropout after lin2) +
// residual + output_layer_norm. The attention output itself has no dropout.
class DistilBertBlockImpl : public torch::nn::Module {
 public:
  DistilBertBlockImpl(const DistilBertConfig& config, const std::string& config_path);
  // hidden: [B, L, D], or [T, D] (the real tokens) with `packing`; attention_mask: [B, 1, 1, L]
  // bool (true: a key that may be attended) or undefined.
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                        const std::optional<TokenPacking>& packing = std::nullopt);

 private:
  torch::Tensor attention(const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                          const std::optional<TokenPacking>& packing);

  int64_t heads_;
  double attention_dropout_;
  Activation activation_;
  AdaptableLinear q_lin_{nullptr}, k_lin_{nullptr}, v_lin_{nullptr}, out_lin_{nullptr};
  AdaptableLinear lin1_{nullptr}, lin2_{nullptr};
  torch::nn::LayerNorm sa_layer_norm_{nullptr}, output_layer_norm_{nullptr};
  torch::nn::Dropout ffn_dropout_{nullptr};
};
TORCH_MODULE(DistilBertBlock);

// The blocks, registered as `layer.0`, `layer.1`, ...
class DistilBertTransformerImpl : public torch::nn::Module {
 public:
  DistilBertTransformerImpl(const DistilBertConfig& config, const std::string& config_path);
  // As DistilBertBlock::forward, through every block.
  torch::Tensor forward(torch::Tensor hidden, const torch::Tensor& attention_mask,
                        const std::optional<TokenPacking>& packing = std::nullopt);
  void set_activation_recomputation(bool enabled) { recompute_activations_ = enabled; }

 private:
  torch::nn::ModuleList layer_;
  bool recompute_activations_ = false;
};
TORCH_MODULE(DistilBertTransformer);

}  // namespace hft::model
