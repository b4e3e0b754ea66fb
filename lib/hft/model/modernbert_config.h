// ModernBERT's fields of config.json, with ModernBertConfig's defaults, including the two ways
// configs describe the attention pattern and rotary bases: `layer_types` and `rope_parameters`
// (transformers 5) or `global_attn_every_n_layers`, `global_rope_theta` and `local_rope_theta`
// (the checkpoints on the Hub).
#pragma once

#include <string>
#include <vector>

#include "hft/model/model_config.h"  // ModelConfig

namespace hft::model {

struct ModernBertConfig {
  int64_t vocab_size = 50368;
  int64_t hidden_size = 768;
  int64_t intermediate_size = 1152;
  int64_t num_hidden_layers = 22;
  int64_t num_attention_heads = 12;
  std::string hidden_activation = "gelu";
  int64_t max_position_embeddings = 8192;
  double initializer_range = 0.02;
  double initializer_cutoff_factor = 2.0;
  double norm_eps = 1e-5;
  bool norm_bias = false;
  int64_t pad_token_id = 50283;
  bool attention_bias = false;
  double attention_dropout = 0.0;
  std::vector<bool> sliding_layers;  // per layer: true for local (sliding-window) attention
  double global_rope_theta = 160000.0;
  double local_rope_theta = 10000.0;
  int64_t local_attention = 128;  // the whole window; a token sees local_attention / 2 on each side
  double embedding_dropout = 0.0;
  bool mlp_bias = false;
  double mlp_dropout = 0.0;
  std::string classifier_pooling = "cls";  // cls | mean
  double classifier_dropout = 0.0;
  bool classifier_bias = false;
  std::string classifier_activation = "gelu";
};

// Throws ModelError naming the file and key for values hft cannot run: unknown layer types or
// pooling, rotary scaling other than "default", heads that do not divide hidden_size.
ModernBertConfig read_modernbert_config(const ModelConfig& config);

// The same without the per-layer attention pattern and rotary bases (sliding_layers left empty):
// the sizes, read and checked before the weights say how many layers there are.
ModernBertConfig read_modernbert_fields(const ModelConfig& config);

}  // namespace hft::model
