// ModernBERT's building blocks under the `transformers` names: a LayerNorm whose bias is
// optional (norm_bias), the embeddings (tok_embeddings, norm) and the pre-norm encoder layer
// (attn_norm, attn.Wqkv, attn.Wo, mlp_norm, mlp.Wi, mlp.Wo).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>

#include <optional>
#include <string>

#include "hft/model/activations.h"        // Activation
#include "hft/model/modernbert_config.h"  // ModernBertConfig
#include "hft/model/rotary_embedding.h"   // RotaryTables
#include "hft/model/token_packing.h"      // TokenPacking
#include "hft/model/lora_layer.h"  // AdaptableLinear

namespace hft::model {

// LayerNorm over the last dimension with parameters `weight` and, when `bias`, `bias`.
class BiasOptionalLayerNormImpl : public torch::nn::Module {
 public:
  BiasOptionalLayerNormImpl(int64_t size, double eps, bool bias);
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor weight, bias;  // bias undefined without norm_bias

 private:
  int64_t size_;
  double eps_;
};
TORCH_MODULE(BiasOptionalLayerNorm);

// tok_embeddings, norm, drop: [B, L] ids -> [B, L, H]. No position embeddings: positions enter
// through the rotary embedding of queries and keys.
class ModernBertEmbeddingsImpl : public torch::nn::Module {
 public:
  explicit ModernBertEmbeddingsImpl(const ModernBertConfig& config);
  torch::Tensor forward(const torch::Tensor& input_ids);

  torch::nn::Embedding tok_embeddings{nullptr};
  BiasOptionalLayerNorm norm{nullptr};
  torch::nn::Dropout drop{nullptr};
};
TORCH_MODULE(ModernBertEmbeddings);

// One pre-norm layer: h + attn(attn_norm(h)), then h + mlp(mlp_norm(h)). Layer 0 has no attn_norm
// (the embeddings' norm precedes it). The MLP is a GLU: Wi's output splits into input and gate,
// act(input) * gate goes through Wo.
class ModernBertLayerImpl : public torch::nn::Module {
 public:
  ModernBertLayerImpl(const ModernBertConfig& config, int64_t index, const std::string& config_path);
  // hidden: [B, L, H], or [T, H] (the real tokens) with `packing`; attention_mask: bool,
  // broadcastable to [B, heads, L, L] (true: may attend) or undefined; rotary: this layer type's tables.
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& attention_mask, const RotaryTables& rotary,
                        const std::optional<TokenPacking>& packing = std::nullopt);

 private:
  torch::Tensor attention(const torch::Tensor& hidden, const torch::Tensor& attention_mask, const RotaryTables& rotary,
                          const std::optional<TokenPacking>& packing);
  torch::Tensor mlp(const torch::Tensor& hidden, const std::optional<TokenPacking>& packing);

  int64_t heads_, head_dim_;
  double attention_dropout_;
  Activation activation_;
  BiasOptionalLayerNorm attn_norm_{nullptr}, mlp_norm_{nullptr};  // attn_norm_ null in layer 0
  AdaptableLinear wqkv_{nullptr}, attention_wo_{nullptr}, wi_{nullptr}, mlp_wo_{nullptr};
  torch::nn::Dropout attention_out_drop_{nullptr}, mlp_drop_{nullptr};
};
TORCH_MODULE(ModernBertLayer);

}  // namespace hft::model
