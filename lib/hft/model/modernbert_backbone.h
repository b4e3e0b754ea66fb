// The ModernBERT backbone (transformers' ModernBertModel, parameters `model.*`): embeddings,
// layers that alternate global and sliding-window attention, final_norm. The padded batch is
// run as it is (as transformers does with the sdpa and eager attentions): padding keys are
// masked out, and local layers also mask keys more than local_attention / 2 positions away.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>

#include "hft/model/modernbert_config.h"  // ModernBertConfig
#include "hft/model/modernbert_layers.h"  // ModernBertEmbeddings, BiasOptionalLayerNorm

namespace hft::model {

class ModernBertBackboneImpl : public torch::nn::Module {
 public:
  ModernBertBackboneImpl(const ModernBertConfig& config, const std::string& config_path);
  // input_ids, attention_mask: [B, L] (the mask may be undefined: no padding) -> [B, L, H].
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask);
  void set_activation_recomputation(bool enabled) { recompute_activations_ = enabled; }

  ModernBertEmbeddings embeddings{nullptr};
  torch::nn::ModuleList layers;
  BiasOptionalLayerNorm final_norm{nullptr};

 private:
  ModernBertConfig config_;
  bool recompute_activations_ = false;
};
TORCH_MODULE(ModernBertBackbone);

// The masks for scaled_dot_product_attention (true: the key may be attended), from the padding
// mask (undefined: no padding, data::padding_mask). Global layers: [B, 1, 1, L]; local layers:
// [B, 1, L, L], also |query - key| <= half_window. Undefined when nothing is masked, as
// transformers passes no mask then.
torch::Tensor global_attention_mask(const torch::Tensor& attention_mask);
torch::Tensor sliding_window_mask(const torch::Tensor& attention_mask, int64_t length, int64_t half_window,
                                  const torch::Device& device);

}  // namespace hft::model
