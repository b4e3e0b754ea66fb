#include "hft/model/modernbert_backbone.h"

#include "hft/model/activation_recomputation.h"  // checkpointed

namespace hft::model {

torch::Tensor global_attention_mask(const torch::Tensor& attention_mask) {
  if (!attention_mask.defined()) return {};
  return attention_mask.to(torch::kBool).unsqueeze(1).unsqueeze(2);  // [B, 1, 1, L]
}

torch::Tensor sliding_window_mask(const torch::Tensor& attention_mask, int64_t length, int64_t half_window,
                                  const torch::Device& device) {
  const bool padded = attention_mask.defined();
  if (!padded && length - 1 <= half_window) return {};  // every key is within every query's window
  const torch::Tensor positions = torch::arange(length, torch::TensorOptions().dtype(torch::kInt64).device(device));
  const torch::Tensor near = (positions.unsqueeze(1) - positions.unsqueeze(0)).abs().le(half_window);  // [L, L]
  torch::Tensor mask = near.view({1, 1, length, length});
  if (padded) mask = mask.logical_and(attention_mask.to(torch::kBool).view({-1, 1, 1, length}));  // [B, 1, L, L]
  return mask;
}

ModernBertBackboneImpl::ModernBertBackboneImpl(const ModernBertConfig& c, const std::string& config_path)
    : config_(c) {
  embeddings = register_module("embeddings", ModernBertEmbeddings(c));
  layers = register_module("layers", torch::nn::ModuleList());
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) layers->push_back(ModernBertLayer(c, i, config_path));
  final_norm = register_module("final_norm", BiasOptionalLayerNorm(c.hidden_size, c.norm_eps, c.norm_bias));
}

torch::Tensor ModernBertBackboneImpl::forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask) {
  const int64_t length = input_ids.size(1);
  const int64_t head_dim = config_.hidden_size / config_.num_attention_heads;
  const torch::Device device = input_ids.device();
  const torch::Tensor global_mask = global_attention_mask(attention_mask);
  const torch::Tensor local_mask = sliding_window_mask(attention_mask, length, config_.local_attention / 2, device);
  const RotaryTables global_rotary = rotary_tables(length, head_dim, config_.global_rope_theta, device);
  const RotaryTables local_rotary = rotary_tables(length, head_dim, config_.local_rope_theta, device);

  // In training on the CPU, the layers skip the padding; the output then holds zeros there.
  const std::optional<TokenPacking> packing = packing_for_training(attention_mask, is_training());
  torch::Tensor hidden = as_rows(embeddings(input_ids), packing);  // [B, L, H], or [T, H] packed
  for (size_t i = 0; i < layers->size(); ++i) {
    auto layer = layers->ptr<ModernBertLayerImpl>(i);
    const bool sliding = config_.sliding_layers[i];
    // By value: with checkpointing, backward calls `run` again after this function has returned.
    auto run = [layer, mask = sliding ? local_mask : global_mask, rotary = sliding ? local_rotary : global_rotary,
                packing](const torch::Tensor& x) { return layer->forward(x, mask, rotary, packing); };
    hidden = recompute_activations_ && is_training() ? recomputed_in_backward(run, hidden) : run(hidden);
  }
  return padded(final_norm(hidden), packing);
}

}  // namespace hft::model
