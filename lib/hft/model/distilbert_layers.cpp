#include "hft/model/distilbert_layers.h"

#include <cmath>

#include "hft/model/activation_recomputation.h"  // checkpointed
#include "hft/model/attention.h"              // multi_head_attention
#include "hft/model/dropout.h"                // dropout: torch's masks, drawn faster

namespace hft::model {
namespace {

namespace nn = torch::nn;

constexpr double kLayerNormEps = 1e-12;  // DistilBERT's LayerNorms do not read it from the config

nn::LayerNorm layer_norm(int64_t size) { return nn::LayerNorm(nn::LayerNormOptions({size}).eps(kLayerNormEps)); }

}  // namespace

DistilBertConfig read_distilbert_config(const ModelConfig& config) {
  DistilBertConfig c;
  c.vocab_size = config_value(config, "vocab_size", c.vocab_size);
  c.max_position_embeddings = config_value(config, "max_position_embeddings", c.max_position_embeddings);
  c.n_layers = config_value(config, "n_layers", c.n_layers);
  c.n_heads = config_value(config, "n_heads", c.n_heads);
  c.dim = config_value(config, "dim", c.dim);
  c.hidden_dim = config_value(config, "hidden_dim", c.hidden_dim);
  c.dropout = config_value(config, "dropout", c.dropout);
  c.attention_dropout = config_value(config, "attention_dropout", c.attention_dropout);
  c.activation = config_value(config, "activation", c.activation);
  c.initializer_range = config_value(config, "initializer_range", c.initializer_range);
  c.seq_classif_dropout = config_value(config, "seq_classif_dropout", c.seq_classif_dropout);
  c.pad_token_id = config_value(config, "pad_token_id", c.pad_token_id);
  c.sinusoidal_pos_embds = config_value(config, "sinusoidal_pos_embds", c.sinusoidal_pos_embds);
  require_heads_divide(config, "dim", c.dim, "n_heads", c.n_heads);
  require_sizes(config, {{"vocab_size", c.vocab_size},
                         {"max_position_embeddings", c.max_position_embeddings},
                         {"n_layers", c.n_layers},
                         {"hidden_dim", c.hidden_dim}});
  require_probabilities(config, {{"dropout", c.dropout},
                                 {"attention_dropout", c.attention_dropout},
                                 {"seq_classif_dropout", c.seq_classif_dropout}});
  require_at_least_zero(config, "initializer_range", c.initializer_range);
  require_id_below(config, "pad_token_id", c.pad_token_id, "vocab_size", c.vocab_size);
  return c;
}

DistilBertEmbeddingsImpl::DistilBertEmbeddingsImpl(const DistilBertConfig& c) {
  word_embeddings = register_module(
      "word_embeddings", nn::Embedding(nn::EmbeddingOptions(c.vocab_size, c.dim).padding_idx(c.pad_token_id)));
  position_embeddings = register_module("position_embeddings", nn::Embedding(c.max_position_embeddings, c.dim));
  LayerNorm = register_module("LayerNorm", layer_norm(c.dim));
  dropout = register_module("dropout", nn::Dropout(c.dropout));
}

torch::Tensor DistilBertEmbeddingsImpl::forward(const torch::Tensor& input_ids) {
  const torch::Tensor positions = torch::arange(input_ids.size(1), input_ids.options()).unsqueeze(0);  // [1, L]
  return model::dropout(LayerNorm(word_embeddings(input_ids) + position_embeddings(positions)), dropout->options.p(),
                        is_training());
}

void DistilBertEmbeddingsImpl::fill_sinusoidal_positions() {
  torch::NoGradGuard no_grad;
  const int64_t positions = position_embeddings->weight.size(0), dim = position_embeddings->weight.size(1);
  // Computed in double, rounded once to float, as transformers does (numpy float64, then float32).
  auto table = torch::empty({positions, dim}, torch::kFloat64);
  auto cell = table.accessor<double, 2>();
  for (int64_t pos = 0; pos < positions; ++pos)
    for (int64_t j = 0; j < dim; ++j) {
      const double angle = static_cast<double>(pos) / std::pow(10000.0, 2.0 * static_cast<double>(j / 2) / dim);
      cell[pos][j] = j % 2 == 0 ? std::sin(angle) : std::cos(angle);
    }
  position_embeddings->weight.copy_(table);
}

DistilBertBlockImpl::DistilBertBlockImpl(const DistilBertConfig& c, const std::string& config_path)
    : heads_(c.n_heads),
      attention_dropout_(c.attention_dropout),
      activation_(activation_by_name(c.activation, config_path, "activation")) {
  auto attention = register_module("attention", std::make_shared<nn::Module>());  // groups q_lin ... out_lin
  q_lin_ = attention->register_module("q_lin", AdaptableLinear(c.dim, c.dim));
  k_lin_ = attention->register_module("k_lin", AdaptableLinear(c.dim, c.dim));
  v_lin_ = attention->register_module("v_lin", AdaptableLinear(c.dim, c.dim));
  out_lin_ = attention->register_module("out_lin", AdaptableLinear(c.dim, c.dim));
  sa_layer_norm_ = register_module("sa_layer_norm", layer_norm(c.dim));
  auto ffn = register_module("ffn", std::make_shared<nn::Module>());
  lin1_ = ffn->register_module("lin1", AdaptableLinear(c.dim, c.hidden_dim));
  lin2_ = ffn->register_module("lin2", AdaptableLinear(c.hidden_dim, c.dim));
  ffn_dropout_ = ffn->register_module("dropout", nn::Dropout(c.dropout));
  output_layer_norm_ = register_module("output_layer_norm", layer_norm(c.dim));
}

torch::Tensor DistilBertBlockImpl::attention(const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                                             const std::optional<TokenPacking>& packing) {
  // One statement each: the adapters' dropout draws in transformers' order, q, k, v.
  const torch::Tensor query = padded(q_lin_(hidden, packing), packing);
  const torch::Tensor key = padded(k_lin_(hidden, packing), packing);
  const torch::Tensor value = padded(v_lin_(hidden, packing), packing);
  const torch::Tensor context =
      multi_head_attention(query, key, value, heads_, attention_mask, is_training() ? attention_dropout_ : 0.0);
  return out_lin_(as_rows(context, packing), packing);
}

torch::Tensor DistilBertBlockImpl::forward(const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                                           const std::optional<TokenPacking>& packing) {
  const torch::Tensor attended = sa_layer_norm_(attention(hidden, attention_mask, packing) + hidden);
  const torch::Tensor ffn = lin2_(activation_(lin1_(attended, packing)), packing);
  return output_layer_norm_(hidden_dropout(ffn, ffn_dropout_->options.p(), is_training(), packing) + attended);
}

DistilBertTransformerImpl::DistilBertTransformerImpl(const DistilBertConfig& c, const std::string& config_path) {
  layer_ = register_module("layer", nn::ModuleList());
  for (int64_t i = 0; i < c.n_layers; ++i) layer_->push_back(DistilBertBlock(c, config_path));
}

torch::Tensor DistilBertTransformerImpl::forward(torch::Tensor hidden, const torch::Tensor& attention_mask,
                                                const std::optional<TokenPacking>& packing) {
  for (const auto& module : *layer_) {
    // The mask by value: with checkpointing, backward calls `run` again after forward has returned.
    auto block = std::dynamic_pointer_cast<DistilBertBlockImpl>(module);
    auto run = [block, attention_mask, packing](const torch::Tensor& x) { return block->forward(x, attention_mask, packing); };
    hidden = recompute_activations_ && is_training() ? recomputed_in_backward(run, hidden) : run(hidden);
  }
  return hidden;
}

}  // namespace hft::model
