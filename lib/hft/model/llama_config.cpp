#include "hft/model/llama_config.h"

#include <torch/torch.h>

#include <cmath>

#include "hft/model/model_error.h"       // ModelError
#include "hft/model/rotary_embedding.h"  // default_inverse_frequency

namespace hft::model {
namespace {

// transformers 5 writes rope_parameters {rope_type, rope_theta, ...}; older files rope_theta and
// rope_scaling. Both are read; a rope_type other than default and llama3 is refused by key.
void read_rope(const ModelConfig& config, LlamaConfig& c) {
  c.rope_theta = config_value(config, "rope_theta", c.rope_theta);
  const auto& doc = config.document;
  const char* key = doc.contains("rope_parameters") && doc["rope_parameters"].is_object() ? "rope_parameters"
                                                                                          : "rope_scaling";
  if (!doc.contains(key) || !doc[key].is_object()) return;
  const nlohmann::json& rope = doc[key];
  if (rope.contains("rope_theta") && rope["rope_theta"].is_number()) c.rope_theta = rope["rope_theta"].get<double>();
  const std::string type = rope.value("rope_type", rope.value("type", std::string("default")));
  if (type == "default") return;
  if (type != "llama3")
    throw ModelError(config.path + ": " + key + ".rope_type: `" + type + "` is not supported; expected default or llama3");
  Llama3Scaling s;
  s.factor = rope.value("factor", s.factor);
  s.low_freq_factor = rope.value("low_freq_factor", s.low_freq_factor);
  s.high_freq_factor = rope.value("high_freq_factor", s.high_freq_factor);
  s.original_max_position_embeddings = rope.value("original_max_position_embeddings", s.original_max_position_embeddings);
  if (s.factor <= 0 || s.high_freq_factor <= s.low_freq_factor || s.original_max_position_embeddings < 1)
    throw ModelError(config.path + ": " + key + ": factor " + std::to_string(s.factor) + ", low_freq_factor " +
                     std::to_string(s.low_freq_factor) + ", high_freq_factor " + std::to_string(s.high_freq_factor) +
                     "; expected factor > 0 and high_freq_factor > low_freq_factor");
  c.llama3 = s;
}

// What differs between the members of the family, by model_type.
void read_family(const ModelConfig& config, LlamaConfig& c) {
  const std::string& type = config.model_type;
  const bool attention_bias = config_value(config, "attention_bias", false);
  c.qkv_bias = type == "qwen2" || attention_bias;  // Qwen2Attention: q/k/v with biases, o without
  c.o_bias = type != "qwen2" && attention_bias;
  c.qk_norm = type == "qwen3";
  if (type == "llama") c.mlp_bias = config_value(config, "mlp_bias", false);
  if (type == "mistral") c.sliding_window = config_value(config, "sliding_window", std::optional<int64_t>(4096));
  if (c.sliding_window && *c.sliding_window < 1)
    throw ModelError(config.path + ": sliding_window: " + std::to_string(*c.sliding_window) + "; expected 1 or more, or null");
  if ((type == "qwen2" || type == "qwen3") && config_value(config, "use_sliding_window", false))
    throw ModelError(config.path + ": use_sliding_window: true is not supported for " + type +
                     " (sliding attention on the layers past max_window_layers); expected false");
}

}  // namespace

LlamaConfig read_llama_config(const ModelConfig& config) {
  LlamaConfig c;
  c.vocab_size = config_value(config, "vocab_size", c.vocab_size);
  c.hidden_size = config_value(config, "hidden_size", c.hidden_size);
  c.intermediate_size = config_value(config, "intermediate_size", c.intermediate_size);
  c.num_hidden_layers = config_value(config, "num_hidden_layers", c.num_hidden_layers);
  c.num_attention_heads = config_value(config, "num_attention_heads", c.num_attention_heads);
  c.num_key_value_heads = config_value(config, "num_key_value_heads", c.num_attention_heads);  // null: no grouping
  require_sizes(config, {{"vocab_size", c.vocab_size}, {"hidden_size", c.hidden_size},
                         {"intermediate_size", c.intermediate_size}, {"num_hidden_layers", c.num_hidden_layers},
                         {"num_attention_heads", c.num_attention_heads}, {"num_key_value_heads", c.num_key_value_heads}});
  c.head_dim = config_value(config, "head_dim", c.hidden_size / c.num_attention_heads);
  require_sizes(config, {{"head_dim", c.head_dim}});
  if (c.num_attention_heads % c.num_key_value_heads != 0)
    throw ModelError(config.path + ": num_key_value_heads: " + std::to_string(c.num_key_value_heads) +
                     " does not divide num_attention_heads " + std::to_string(c.num_attention_heads) +
                     "; expected a divisor (each key/value head serves a group of query heads)");
  if (c.head_dim % 2 != 0)
    throw ModelError(config.path + ": head_dim: " + std::to_string(c.head_dim) + "; expected an even size (rotary pairs)");
  c.max_position_embeddings = config_value(config, "max_position_embeddings", c.max_position_embeddings);
  c.rms_norm_eps = config_value(config, "rms_norm_eps", c.rms_norm_eps);
  require_above_zero(config, "rms_norm_eps", c.rms_norm_eps);
  c.initializer_range = config_value(config, "initializer_range", c.initializer_range);
  require_at_least_zero(config, "initializer_range", c.initializer_range);
  c.attention_dropout = config_value(config, "attention_dropout", c.attention_dropout);
  require_probabilities(config, {{"attention_dropout", c.attention_dropout}});
  read_family(config, c);
  c.tie_word_embeddings = config_value(config, "tie_word_embeddings", c.tie_word_embeddings);
  c.hidden_act = config_value(config, "hidden_act", c.hidden_act);
  c.pad_token_id = config_value(config, "pad_token_id", std::optional<int64_t>());
  read_rope(config, c);
  return c;
}

torch::Tensor llama_inverse_frequency(const LlamaConfig& c, const torch::Device& device) {
  torch::NoGradGuard no_grad;
  const torch::Tensor inverse = default_inverse_frequency(c.head_dim, c.rope_theta, device);
  if (!c.llama3) return inverse;
  // Llama 3.1: wavelengths past the original context are stretched by `factor`, those below
  // original / high_freq_factor kept, the band between blended smoothly (transformers' order of
  // operations, so that the fp32 values agree).
  const Llama3Scaling& s = *c.llama3;
  const double old_context = static_cast<double>(s.original_max_position_embeddings);
  const double low_wavelength = old_context / s.low_freq_factor, high_wavelength = old_context / s.high_freq_factor;
  const torch::Tensor wavelength = 2 * M_PI / inverse;
  torch::Tensor scaled = torch::where(wavelength > low_wavelength, inverse / s.factor, inverse);
  const torch::Tensor smooth = (old_context / wavelength - s.low_freq_factor) / (s.high_freq_factor - s.low_freq_factor);
  const torch::Tensor smoothed = (1 - smooth) * scaled / s.factor + smooth * scaled;
  const torch::Tensor medium = wavelength.ge(high_wavelength).logical_and(wavelength.le(low_wavelength));
  return torch::where(medium, smoothed, scaled);
}

}  // namespace hft::model
