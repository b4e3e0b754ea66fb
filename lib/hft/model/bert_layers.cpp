#include "hft/model/bert_layers.h"

#include <torch/nn/functional/dropout.h>
#include <torch/nn/init.h>
#include <torch/nn/modules/container/modulelist.h>

#include "hft/model/activation_recomputation.h"  // checkpointed
#include "hft/model/attention.h"              // multi_head_attention
#include "hft/model/dropout.h"                // dropout: torch's masks, drawn faster
#include "hft/model/model_error.h"

namespace hft::model {
namespace {

namespace nn = torch::nn;

// An empty module that only groups others under a name ("attention", "self", ...).
std::shared_ptr<nn::Module> group(nn::Module& parent, const std::string& name) {
  return parent.register_module(name, std::make_shared<nn::Module>());
}

nn::LayerNorm layer_norm(int64_t size, double eps) {
  return nn::LayerNorm(nn::LayerNormOptions({size}).eps(eps));
}

// Values LibTorch would refuse (or turn into NaN) deep inside the network, refused here by key.
void check_values(const ModelConfig& config, const BertFamilyConfig& c) {
  require_sizes(config, {{"vocab_size", c.vocab_size},
                         {"embedding_size", c.embedding_size},
                         {"num_hidden_layers", c.num_hidden_layers},
                         {"intermediate_size", c.intermediate_size},
                         {"max_position_embeddings", c.max_position_embeddings},
                         {"type_vocab_size", c.type_vocab_size}});
  require_probabilities(config, {{"hidden_dropout_prob", c.hidden_dropout_prob},
                                 {"attention_probs_dropout_prob", c.attention_probs_dropout_prob},
                                 {"classifier_dropout", c.classifier_dropout.value_or(0.0)}});
  require_above_zero(config, "layer_norm_eps", c.layer_norm_eps);
  require_at_least_zero(config, "initializer_range", c.initializer_range);
  require_id_below(config, "pad_token_id", c.pad_token_id, "vocab_size", c.vocab_size);
}

}  // namespace

BertFamilyConfig read_bert_family_config(const ModelConfig& config, const BertFamilyConfig& defaults) {
  BertFamilyConfig c = defaults;
  c.vocab_size = config_value(config, "vocab_size", c.vocab_size);
  c.hidden_size = config_value(config, "hidden_size", c.hidden_size);
  c.embedding_size = config_value(config, "embedding_size", defaults.embedding_size == defaults.hidden_size ? c.hidden_size : c.embedding_size);
  c.num_hidden_layers = config_value(config, "num_hidden_layers", c.num_hidden_layers);
  c.num_attention_heads = config_value(config, "num_attention_heads", c.num_attention_heads);
  c.intermediate_size = config_value(config, "intermediate_size", c.intermediate_size);
  c.hidden_act = config_value(config, "hidden_act", c.hidden_act);
  c.hidden_dropout_prob = config_value(config, "hidden_dropout_prob", c.hidden_dropout_prob);
  c.attention_probs_dropout_prob = config_value(config, "attention_probs_dropout_prob", c.attention_probs_dropout_prob);
  c.max_position_embeddings = config_value(config, "max_position_embeddings", c.max_position_embeddings);
  c.type_vocab_size = config_value(config, "type_vocab_size", c.type_vocab_size);
  c.initializer_range = config_value(config, "initializer_range", c.initializer_range);
  c.layer_norm_eps = config_value(config, "layer_norm_eps", c.layer_norm_eps);
  c.pad_token_id = config_value(config, "pad_token_id", c.pad_token_id);
  c.classifier_dropout = config_value(config, "classifier_dropout", c.classifier_dropout);
  require_heads_divide(config, "hidden_size", c.hidden_size, "num_attention_heads", c.num_attention_heads);
  check_values(config, c);
  const std::string position_type = config_value<std::string>(config, "position_embedding_type", "absolute");
  if (position_type != "absolute")
    throw ModelError(config.path + ": position_embedding_type: `" + position_type + "` is not supported; expected absolute");
  return c;
}

BertEmbeddingsImpl::BertEmbeddingsImpl(const BertFamilyConfig& c, std::optional<int64_t> position_padding_idx) {
  word_embeddings = register_module(
      "word_embeddings", nn::Embedding(nn::EmbeddingOptions(c.vocab_size, c.embedding_size).padding_idx(c.pad_token_id)));
  auto position_options = nn::EmbeddingOptions(c.max_position_embeddings, c.embedding_size);
  if (position_padding_idx) position_options.padding_idx(*position_padding_idx);
  position_embeddings = register_module("position_embeddings", nn::Embedding(position_options));
  token_type_embeddings =
      register_module("token_type_embeddings", nn::Embedding(nn::EmbeddingOptions(c.type_vocab_size, c.embedding_size)));
  LayerNorm = register_module("LayerNorm", layer_norm(c.embedding_size, c.layer_norm_eps));
  dropout = register_module("dropout", nn::Dropout(c.hidden_dropout_prob));
}

torch::Tensor BertEmbeddingsImpl::forward(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids,
                                          const torch::Tensor& position_ids) {
  const torch::Tensor types = token_type_ids.defined() ? token_type_ids : torch::zeros_like(input_ids);
  torch::Tensor embeddings = word_embeddings(input_ids) + token_type_embeddings(types) + position_embeddings(position_ids);
  return model::dropout(LayerNorm(embeddings), dropout->options.p(), is_training());
}

BertLayerImpl::BertLayerImpl(const BertFamilyConfig& c, const std::string& config_path)
    : heads_(c.num_attention_heads),
      attention_dropout_(c.attention_probs_dropout_prob),
      activation_(activation_by_name(c.hidden_act, config_path)) {
  const int64_t h = c.hidden_size;
  auto attention = group(*this, "attention");
  auto self = group(*attention, "self");
  query_ = self->register_module("query", AdaptableLinear(h, h));
  key_ = self->register_module("key", AdaptableLinear(h, h));
  value_ = self->register_module("value", AdaptableLinear(h, h));
  auto attention_output = group(*attention, "output");
  attention_dense_ = attention_output->register_module("dense", AdaptableLinear(h, h));
  attention_norm_ = attention_output->register_module("LayerNorm", layer_norm(h, c.layer_norm_eps));
  intermediate_dense_ = group(*this, "intermediate")->register_module("dense", AdaptableLinear(h, c.intermediate_size));
  auto output = group(*this, "output");
  output_dense_ = output->register_module("dense", AdaptableLinear(c.intermediate_size, h));
  output_norm_ = output->register_module("LayerNorm", layer_norm(h, c.layer_norm_eps));
  dropout_ = register_module("dropout", nn::Dropout(c.hidden_dropout_prob));
}

torch::Tensor BertLayerImpl::self_attention(const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                                            const std::optional<TokenPacking>& packing) {
  // One statement each: the adapters' dropout draws in transformers' order, query, key, value.
  const torch::Tensor query = padded(query_(hidden, packing), packing);
  const torch::Tensor key = padded(key_(hidden, packing), packing);
  const torch::Tensor value = padded(value_(hidden, packing), packing);
  const torch::Tensor context =
      multi_head_attention(query, key, value, heads_, attention_mask, is_training() ? attention_dropout_ : 0.0);
  return as_rows(context, packing);
}

torch::Tensor BertLayerImpl::forward(const torch::Tensor& hidden, const torch::Tensor& attention_mask,
                                     const std::optional<TokenPacking>& packing) {
  const double p = dropout_->options.p();
  const torch::Tensor attention = attention_dense_(self_attention(hidden, attention_mask, packing), packing);
  const torch::Tensor attended = attention_norm_(hidden_dropout(attention, p, is_training(), packing) + hidden);
  const torch::Tensor intermediate = activation_(intermediate_dense_(attended, packing));
  return output_norm_(hidden_dropout(output_dense_(intermediate, packing), p, is_training(), packing) + attended);
}

BertEncoderImpl::BertEncoderImpl(const BertFamilyConfig& c, const std::string& config_path) {
  layer_ = register_module("layer", nn::ModuleList());
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) layer_->push_back(BertLayer(c, config_path));
}

torch::Tensor BertEncoderImpl::forward(torch::Tensor hidden, const torch::Tensor& attention_mask,
                                       const std::optional<TokenPacking>& packing) {
  for (const auto& module : *layer_) {
    // The mask by value: with checkpointing, backward calls `run` again after forward has returned.
    auto layer = std::dynamic_pointer_cast<BertLayerImpl>(module);
    auto run = [layer, attention_mask, packing](const torch::Tensor& x) { return layer->forward(x, attention_mask, packing); };
    hidden = recompute_activations_ && is_training() ? recomputed_in_backward(run, hidden) : run(hidden);
  }
  return hidden;
}

torch::Tensor attention_mask_for_sdpa(const torch::Tensor& attention_mask) {
  return attention_mask.to(torch::kBool).unsqueeze(1).unsqueeze(2);  // [B, 1, 1, L]
}

void init_weights_like_transformers(nn::Module& module, double std, const ParameterSelection& selected) {
  torch::NoGradGuard no_grad;
  for (const auto& item : module.named_modules(/*name_prefix=*/"", /*include_self=*/false)) {  // callable from a constructor
    const std::string prefix = item.key() + ".";
    auto normal = [&](torch::Tensor& weight) {
      if (selected(prefix + "weight")) nn::init::normal_(weight, 0.0, std);
    };
    auto zeros = [&](torch::Tensor& tensor, const char* name) {
      if (tensor.defined() && selected(prefix + name)) nn::init::zeros_(tensor);
    };
    if (auto* linear = item.value()->as<nn::Linear>()) {
      normal(linear->weight);
      zeros(linear->bias, "bias");
    } else if (auto* embedding = item.value()->as<nn::Embedding>()) {
      normal(embedding->weight);
      auto pad = embedding->options.padding_idx();
      if (pad && selected(prefix + "weight")) embedding->weight[*pad].zero_();
    } else if (auto* norm = item.value()->as<nn::LayerNorm>()) {
      if (selected(prefix + "weight")) nn::init::ones_(norm->weight);
      zeros(norm->bias, "bias");
    }
  }
}

}  // namespace hft::model
