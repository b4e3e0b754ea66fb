// The blocks of a Llama decoder, under transformers' parameter names: RMSNorm, attention with
// rotary positions and grouped key/value heads (causal, through scaled_dot_product_attention),
// and the gated (SwiGLU) MLP; a layer is norm -> attention -> residual, norm -> MLP -> residual.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include "hft/model/activations.h"       // Activation
#include "hft/model/causal_lm.h"         // KvLayer
#include "hft/model/llama_config.h"      // LlamaConfig
#include "hft/model/rotary_embedding.h"  // RotaryTables
#include "hft/model/lora_layer.h"  // AdaptableLinear

namespace hft::model {

// x / sqrt(mean(x^2) + eps) in fp32, then `weight` times it in x's dtype (LlamaRMSNorm).
class RmsNormImpl : public torch::nn::Module {
 public:
  RmsNormImpl(int64_t width, double eps);
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor weight;

 private:
  double eps_;
};
TORCH_MODULE(RmsNorm);

class LlamaAttentionImpl : public torch::nn::Module {
 public:
  explicit LlamaAttentionImpl(const LlamaConfig& c);
  // hidden [B, L, H]; mask: [B, 1, L, L] bool (true: may attend) or undefined (causal only).
  // `cache`: generation; the new keys and values join it and attention sees all of it.
  torch::Tensor forward(const torch::Tensor& hidden, const RotaryTables& rotary, const torch::Tensor& mask,
                        KvLayer* cache = nullptr);
  AdaptableLinear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};
  RmsNorm q_norm{nullptr}, k_norm{nullptr};  // qwen3 only

 private:
  int64_t heads_, kv_heads_, head_dim_;
  double dropout_;
};
TORCH_MODULE(LlamaAttention);

class LlamaMlpImpl : public torch::nn::Module {
 public:
  LlamaMlpImpl(const LlamaConfig& c, const std::string& config_path);
  torch::Tensor forward(const torch::Tensor& x);  // down(act(gate(x)) * up(x))
  AdaptableLinear gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};

 private:
  Activation activation_;
};
TORCH_MODULE(LlamaMlp);

class LlamaDecoderLayerImpl : public torch::nn::Module {
 public:
  LlamaDecoderLayerImpl(const LlamaConfig& c, const std::string& config_path);
  // `cache`: generation; the new keys and values join it and attention sees all of it.
  torch::Tensor forward(const torch::Tensor& hidden, const RotaryTables& rotary, const torch::Tensor& mask,
                        KvLayer* cache = nullptr);
  LlamaAttention self_attn{nullptr};
  LlamaMlp mlp{nullptr};
  RmsNorm input_layernorm{nullptr}, post_attention_layernorm{nullptr};
};
TORCH_MODULE(LlamaDecoderLayer);

}  // namespace hft::model
