#include "hft/model/modernbert_layers.h"

#include <cmath>

#include "hft/model/attention.h"  // optional_mask
#include "hft/model/dropout.h"    // dropout: torch's masks, drawn faster

namespace hft::model {
namespace {

namespace nn = torch::nn;

AdaptableLinear linear(int64_t in, int64_t out, bool bias) { return AdaptableLinear(nn::LinearOptions(in, out).bias(bias)); }

}  // namespace

BiasOptionalLayerNormImpl::BiasOptionalLayerNormImpl(int64_t size, double eps, bool with_bias) : size_(size), eps_(eps) {
  weight = register_parameter("weight", torch::ones({size}));
  if (with_bias) bias = register_parameter("bias", torch::zeros({size}));
}

torch::Tensor BiasOptionalLayerNormImpl::forward(const torch::Tensor& x) {
  return torch::layer_norm(x, {size_}, weight, bias, eps_);
}

ModernBertEmbeddingsImpl::ModernBertEmbeddingsImpl(const ModernBertConfig& c) {
  tok_embeddings = register_module(
      "tok_embeddings", nn::Embedding(nn::EmbeddingOptions(c.vocab_size, c.hidden_size).padding_idx(c.pad_token_id)));
  norm = register_module("norm", BiasOptionalLayerNorm(c.hidden_size, c.norm_eps, c.norm_bias));
  drop = register_module("drop", nn::Dropout(c.embedding_dropout));
}

torch::Tensor ModernBertEmbeddingsImpl::forward(const torch::Tensor& input_ids) {
  return model::dropout(norm(tok_embeddings(input_ids)), drop->options.p(), is_training());
}

ModernBertLayerImpl::ModernBertLayerImpl(const ModernBertConfig& c, int64_t index, const std::string& config_path)
    : heads_(c.num_attention_heads),
      head_dim_(c.hidden_size / c.num_attention_heads),
      attention_dropout_(c.attention_dropout),
      activation_(activation_by_name(c.hidden_activation, config_path, "hidden_activation")) {
  const int64_t h = c.hidden_size;
  if (index > 0) attn_norm_ = register_module("attn_norm", BiasOptionalLayerNorm(h, c.norm_eps, c.norm_bias));
  auto attn = register_module("attn", std::make_shared<nn::Module>());  // groups Wqkv, Wo
  wqkv_ = attn->register_module("Wqkv", linear(h, 3 * h, c.attention_bias));
  attention_wo_ = attn->register_module("Wo", linear(h, h, c.attention_bias));
  attention_out_drop_ = attn->register_module("out_drop", nn::Dropout(c.attention_dropout));
  mlp_norm_ = register_module("mlp_norm", BiasOptionalLayerNorm(h, c.norm_eps, c.norm_bias));
  auto mlp = register_module("mlp", std::make_shared<nn::Module>());  // groups Wi, Wo
  wi_ = mlp->register_module("Wi", linear(h, 2 * c.intermediate_size, c.mlp_bias));
  mlp_wo_ = mlp->register_module("Wo", linear(c.intermediate_size, h, c.mlp_bias));
  mlp_drop_ = mlp->register_module("drop", nn::Dropout(c.mlp_dropout));
}

torch::Tensor ModernBertLayerImpl::attention(const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                                             const RotaryTables& rotary, const std::optional<TokenPacking>& packing) {
  const torch::Tensor projected = padded(wqkv_(hidden, packing), packing);  // [B, L, 3 * H]
  const int64_t batch = projected.size(0), length = projected.size(1);
  // Wqkv's output holds q, k, v one after the other: [B, L, 3 * H] -> 3 x [B, heads, L, head_dim].
  const std::vector<torch::Tensor> qkv = projected.view({batch, length, 3, heads_, head_dim_}).unbind(2);
  const torch::Tensor query = apply_rotary(qkv[0].transpose(1, 2), rotary);
  const torch::Tensor key = apply_rotary(qkv[1].transpose(1, 2), rotary);
  const torch::Tensor value = qkv[2].transpose(1, 2);
  const torch::Tensor context =
      at::scaled_dot_product_attention(query, key, value, optional_mask(attention_mask),
                                       is_training() ? attention_dropout_ : 0.0,
                                       /*is_causal=*/false, std::pow(static_cast<double>(head_dim_), -0.5))
          .transpose(1, 2)
          .reshape({batch, length, heads_ * head_dim_});
  return hidden_dropout(attention_wo_(as_rows(context, packing), packing), attention_out_drop_->options.p(), is_training(),
                        packing);
}

torch::Tensor ModernBertLayerImpl::mlp(const torch::Tensor& hidden, const std::optional<TokenPacking>& packing) {
  const std::vector<torch::Tensor> input_and_gate = wi_(hidden, packing).chunk(2, -1);  // 2 x [..., intermediate]
  const torch::Tensor gated = activation_(input_and_gate[0]) * input_and_gate[1];
  return mlp_wo_(hidden_dropout(gated, mlp_drop_->options.p(), is_training(), packing), packing);
}

torch::Tensor ModernBertLayerImpl::forward(const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                                           const RotaryTables& rotary, const std::optional<TokenPacking>& packing) {
  const torch::Tensor normed = attn_norm_ ? attn_norm_(hidden) : hidden;
  const torch::Tensor attended = hidden + attention(normed, attention_mask, rotary, packing);
  return attended + mlp(mlp_norm_(attended), packing);
}

}  // namespace hft::model
