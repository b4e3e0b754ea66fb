#include "hft/model/llama_layers.h"

#include <torch/torch.h>

namespace hft::model {

namespace nn = torch::nn;

RmsNormImpl::RmsNormImpl(int64_t width, double eps) : eps_(eps) {
  weight = register_parameter("weight", torch::ones({width}));
}

torch::Tensor RmsNormImpl::forward(const torch::Tensor& x) {
  const torch::Tensor x32 = x.to(torch::kFloat32);
  const torch::Tensor normed = x32 * torch::rsqrt(x32.pow(2).mean(-1, /*keepdim=*/true) + eps_);
  return weight * normed.to(x.scalar_type());
}

LlamaAttentionImpl::LlamaAttentionImpl(const LlamaConfig& c)
    : heads_(c.num_attention_heads), kv_heads_(c.num_key_value_heads), head_dim_(c.head_dim),
      dropout_(c.attention_dropout) {
  auto linear = [](int64_t in, int64_t out, bool bias) { return AdaptableLinear(nn::LinearOptions(in, out).bias(bias)); };
  q_proj = register_module("q_proj", linear(c.hidden_size, heads_ * head_dim_, c.qkv_bias));
  k_proj = register_module("k_proj", linear(c.hidden_size, kv_heads_ * head_dim_, c.qkv_bias));
  v_proj = register_module("v_proj", linear(c.hidden_size, kv_heads_ * head_dim_, c.qkv_bias));
  o_proj = register_module("o_proj", linear(heads_ * head_dim_, c.hidden_size, c.o_bias));
  if (!c.qk_norm) return;
  q_norm = register_module("q_norm", RmsNorm(head_dim_, c.rms_norm_eps));
  k_norm = register_module("k_norm", RmsNorm(head_dim_, c.rms_norm_eps));
}

torch::Tensor LlamaAttentionImpl::forward(const torch::Tensor& hidden, const RotaryTables& rotary, const torch::Tensor& mask,
                                          KvLayer* cache) {
  const int64_t batch = hidden.size(0), length = hidden.size(1);
  // [B, L, n * D] -> [B, n, L, D], each head normalised first when the model has q/k norms.
  auto heads_of = [&](const torch::Tensor& x, int64_t n, RmsNorm& norm) {
    const torch::Tensor split = x.view({batch, length, n, head_dim_});
    return (norm ? norm(split) : split).transpose(1, 2);
  };
  RmsNorm none{nullptr};
  const torch::Tensor q = apply_rotary(heads_of(q_proj(hidden), heads_, q_norm), rotary);  // [B, heads, L, D]
  torch::Tensor k = apply_rotary(heads_of(k_proj(hidden), kv_heads_, k_norm), rotary);
  torch::Tensor v = heads_of(v_proj(hidden), kv_heads_, none);
  if (cache) std::tie(k, v) = append_to(*cache, k, v);
  // Each key/value head serves heads / kv_heads query heads (repeat_kv); causal when no mask is
  // given, else the mask holds both the causal and the padding rule.
  const torch::Tensor context = torch::scaled_dot_product_attention(
      q, k, v, mask.defined() ? std::optional<torch::Tensor>(mask) : std::nullopt, is_training() ? dropout_ : 0.0,
      /*is_causal=*/!mask.defined(), std::nullopt, /*enable_gqa=*/kv_heads_ != heads_);
  return o_proj(context.transpose(1, 2).reshape({batch, length, heads_ * head_dim_}));
}

LlamaMlpImpl::LlamaMlpImpl(const LlamaConfig& c, const std::string& config_path)
    : activation_(activation_by_name(c.hidden_act, config_path, "hidden_act")) {
  auto linear = [&](int64_t in, int64_t out) { return AdaptableLinear(nn::LinearOptions(in, out).bias(c.mlp_bias)); };
  gate_proj = register_module("gate_proj", linear(c.hidden_size, c.intermediate_size));
  up_proj = register_module("up_proj", linear(c.hidden_size, c.intermediate_size));
  down_proj = register_module("down_proj", linear(c.intermediate_size, c.hidden_size));
}

torch::Tensor LlamaMlpImpl::forward(const torch::Tensor& x) {
  const torch::Tensor gate = activation_(gate_proj(x));  // before up_proj: the adapters' dropout draws in transformers' order
  return down_proj(gate * up_proj(x));
}

LlamaDecoderLayerImpl::LlamaDecoderLayerImpl(const LlamaConfig& c, const std::string& config_path) {
  self_attn = register_module("self_attn", LlamaAttention(c));
  mlp = register_module("mlp", LlamaMlp(c, config_path));
  input_layernorm = register_module("input_layernorm", RmsNorm(c.hidden_size, c.rms_norm_eps));
  post_attention_layernorm = register_module("post_attention_layernorm", RmsNorm(c.hidden_size, c.rms_norm_eps));
}

torch::Tensor LlamaDecoderLayerImpl::forward(const torch::Tensor& hidden, const RotaryTables& rotary,
                                             const torch::Tensor& mask, KvLayer* cache) {
  const torch::Tensor attended = hidden + self_attn->forward(input_layernorm(hidden), rotary, mask, cache);
  return attended + mlp(post_attention_layernorm(attended));
}

}  // namespace hft::model
