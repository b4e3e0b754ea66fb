// The fields of a Llama-family config.json that the network reads, with transformers' defaults,
// and the rotary frequencies they give (the default rope_type, or Llama 3.1's `llama3` scaling of
// the long wavelengths). The family: llama; mistral (a sliding attention window); qwen2 (biases
// on q, k and v only); qwen3 (RMSNorm of each query and key head before the rotation).
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>

#include "hft/model/model_config.h"  // ModelConfig

namespace hft::model {

struct Llama3Scaling {
  double factor = 8.0;
  double low_freq_factor = 1.0;
  double high_freq_factor = 4.0;
  int64_t original_max_position_embeddings = 8192;
};

struct LlamaConfig {
  int64_t vocab_size = 32000;
  int64_t hidden_size = 4096;
  int64_t intermediate_size = 11008;
  int64_t num_hidden_layers = 32;
  int64_t num_attention_heads = 32;
  int64_t num_key_value_heads = 32;  // < num_attention_heads: grouped-query attention
  int64_t head_dim = 128;            // default hidden_size / num_attention_heads
  int64_t max_position_embeddings = 2048;
  double rms_norm_eps = 1e-6;
  double rope_theta = 10000.0;
  std::optional<Llama3Scaling> llama3;  // rope_type llama3; unset: default
  double initializer_range = 0.02;
  double attention_dropout = 0.0;
  bool qkv_bias = false;  // q, k, v projections with biases (llama, qwen3: attention_bias; qwen2: always)
  bool o_bias = false;    // the output projection with a bias (llama, qwen3: attention_bias)
  bool qk_norm = false;   // qwen3: q_norm, k_norm over each head's channels
  std::optional<int64_t> sliding_window;  // mistral: a query sees the last `sliding_window` keys only
  bool mlp_bias = false;
  bool tie_word_embeddings = false;  // lm_head is the token embedding
  std::string hidden_act = "silu";
  std::optional<int64_t> pad_token_id;
};

// Throws ModelError naming config.json and the key for a value the network cannot be built with
// (a size below 1, heads that do not divide the width, an unsupported rope_type, ...).
LlamaConfig read_llama_config(const ModelConfig& config);

// [head_dim / 2] fp32 on `device`: the default frequencies, rescaled as rope_type llama3 says.
torch::Tensor llama_inverse_frequency(const LlamaConfig& config, const torch::Device& device);

}  // namespace hft::model
