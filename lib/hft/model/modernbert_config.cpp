#include "hft/model/modernbert_config.h"

#include "hft/model/model_error.h"

namespace hft::model {
namespace {

using nlohmann::json;

// Per layer, whether it attends within a sliding window: `layer_types` when given, else every
// global_attn_every_n_layers-th layer (counting from 0) is global and the others local.
std::vector<bool> read_sliding_layers(const ModelConfig& config, int64_t layers) {
  std::vector<bool> sliding;
  const auto it = config.document.find("layer_types");
  if (it != config.document.end() && !it->is_null()) {
    if (!it->is_array() || static_cast<int64_t>(it->size()) != layers)
      throw ModelError(config.path + ": layer_types: " + (it->is_array() ? std::to_string(it->size()) + " layer types" : it->dump()) +
                       " for num_hidden_layers " + std::to_string(layers) + "; expected a list of one type per layer");
    for (const auto& type : *it) {
      if (type == "sliding_attention") sliding.push_back(true);
      else if (type == "full_attention") sliding.push_back(false);
      else
        throw ModelError(config.path + ": layer_types: unsupported layer type " + type.dump() +
                         "; expected full_attention or sliding_attention");
    }
    return sliding;
  }
  const int64_t every = config_value(config, "global_attn_every_n_layers", int64_t{3});
  if (every <= 0) throw ModelError(config.path + ": global_attn_every_n_layers: expected a positive number");
  for (int64_t i = 0; i < layers; ++i) sliding.push_back(i % every != 0);
  return sliding;
}

// One layer type's rotary parameters: rope_parameters[layer_type] when it has them, else the
// legacy key (global_rope_theta / local_rope_theta), else the default.
double read_rope_theta(const ModelConfig& config, const std::string& layer_type, const std::string& legacy_key,
                       double fallback) {
  double theta = config_value(config, legacy_key, fallback);
  const auto parameters = config.document.find("rope_parameters");
  if (parameters == config.document.end() || !parameters->is_object()) return theta;
  const auto own = parameters->find(layer_type);
  if (own == parameters->end() || !own->is_object()) return theta;
  const std::string rope_type = own->value("rope_type", own->value("type", std::string("default")));
  if (rope_type != "default")
    throw ModelError(config.path + ": rope_parameters." + layer_type + ".rope_type: `" + rope_type +
                     "` is not supported; expected default");
  const auto value = own->find("rope_theta");
  if (value != own->end() && value->is_number()) theta = value->get<double>();
  return theta;
}

void check_rope_scaling(const ModelConfig& config) {
  const auto it = config.document.find("rope_scaling");
  if (it == config.document.end() || it->is_null()) return;
  const std::string rope_type = it->is_object() ? it->value("rope_type", it->value("type", std::string("default"))) : "?";
  if (rope_type != "default")
    throw ModelError(config.path + ": rope_scaling: `" + rope_type + "` is not supported; expected none or default");
}

// Values LibTorch would refuse (or turn into NaN) deep inside the network, refused here by key.
void check_values(const ModelConfig& config, const ModernBertConfig& c) {
  require_sizes(config, {{"vocab_size", c.vocab_size},
                         {"intermediate_size", c.intermediate_size},
                         {"num_hidden_layers", c.num_hidden_layers},
                         {"max_position_embeddings", c.max_position_embeddings},
                         {"local_attention", c.local_attention}});
  // Rotary embeddings turn channel pairs (i, i + head_dim / 2): a head needs an even width.
  if ((c.hidden_size / c.num_attention_heads) % 2 != 0)
    throw ModelError(config.path + ": hidden_size " + std::to_string(c.hidden_size) + " / num_attention_heads " +
                     std::to_string(c.num_attention_heads) + " gives heads of odd width " +
                     std::to_string(c.hidden_size / c.num_attention_heads) + "; expected an even head width for rotary embeddings");
  require_probabilities(config, {{"attention_dropout", c.attention_dropout},
                                 {"embedding_dropout", c.embedding_dropout},
                                 {"mlp_dropout", c.mlp_dropout},
                                 {"classifier_dropout", c.classifier_dropout}});
  require_above_zero(config, "norm_eps", c.norm_eps);
  require_at_least_zero(config, "initializer_range", c.initializer_range);
  require_above_zero(config, "initializer_cutoff_factor", c.initializer_cutoff_factor);
  require_id_below(config, "pad_token_id", c.pad_token_id, "vocab_size", c.vocab_size);
}

}  // namespace

ModernBertConfig read_modernbert_fields(const ModelConfig& config) {
  ModernBertConfig c;
  c.vocab_size = config_value(config, "vocab_size", c.vocab_size);
  c.hidden_size = config_value(config, "hidden_size", c.hidden_size);
  c.intermediate_size = config_value(config, "intermediate_size", c.intermediate_size);
  c.num_hidden_layers = config_value(config, "num_hidden_layers", c.num_hidden_layers);
  c.num_attention_heads = config_value(config, "num_attention_heads", c.num_attention_heads);
  c.hidden_activation = config_value(config, "hidden_activation", c.hidden_activation);
  c.max_position_embeddings = config_value(config, "max_position_embeddings", c.max_position_embeddings);
  c.initializer_range = config_value(config, "initializer_range", c.initializer_range);
  c.initializer_cutoff_factor = config_value(config, "initializer_cutoff_factor", c.initializer_cutoff_factor);
  c.norm_eps = config_value(config, "norm_eps", c.norm_eps);
  c.norm_bias = config_value(config, "norm_bias", c.norm_bias);
  c.pad_token_id = config_value(config, "pad_token_id", c.pad_token_id);
  c.attention_bias = config_value(config, "attention_bias", c.attention_bias);
  c.attention_dropout = config_value(config, "attention_dropout", c.attention_dropout);
  c.local_attention = config_value(config, "local_attention", c.local_attention);
  c.embedding_dropout = config_value(config, "embedding_dropout", c.embedding_dropout);
  c.mlp_bias = config_value(config, "mlp_bias", c.mlp_bias);
  c.mlp_dropout = config_value(config, "mlp_dropout", c.mlp_dropout);
  c.classifier_pooling = config_value(config, "classifier_pooling", c.classifier_pooling);
  c.classifier_dropout = config_value(config, "classifier_dropout", c.classifier_dropout);
  c.classifier_bias = config_value(config, "classifier_bias", c.classifier_bias);
  c.classifier_activation = config_value(config, "classifier_activation", c.classifier_activation);
  require_heads_divide(config, "hidden_size", c.hidden_size, "num_attention_heads", c.num_attention_heads);
  check_values(config, c);
  if (c.classifier_pooling != "cls" && c.classifier_pooling != "mean")
    throw ModelError(config.path + ": classifier_pooling: `" + c.classifier_pooling + "` is not supported; expected cls or mean");
  return c;
}

ModernBertConfig read_modernbert_config(const ModelConfig& config) {
  ModernBertConfig c = read_modernbert_fields(config);
  c.sliding_layers = read_sliding_layers(config, c.num_hidden_layers);
  check_rope_scaling(config);
  c.global_rope_theta = read_rope_theta(config, "full_attention", "global_rope_theta", c.global_rope_theta);
  c.local_rope_theta = read_rope_theta(config, "sliding_attention", "local_rope_theta", c.local_rope_theta);
  require_above_zero(config, "global_rope_theta", c.global_rope_theta);  // the rotary base: 1 / theta^(2i / d)
  require_above_zero(config, "local_rope_theta", c.local_rope_theta);
  return c;
}

}  // namespace hft::model
