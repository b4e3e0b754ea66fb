// LlamaForCausalLM (and MistralForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM: llama_config.h
// says what differs): the token embedding under `model.embed_tokens`, the decoder layers under
// `model.layers`, the final `model.norm`, and `lm_head` (or the embedding itself when
// tie_word_embeddings), as transformers names them. Positions are 0..L-1 in every row (right
// padding, as training batches are); attention is causal, and padding is masked out of the keys.
#include <torch/nn/functional/embedding.h>
#include <torch/nn/functional/linear.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/torch.h>

#include "hft/model/activation_recomputation.h"  // recomputed_in_backward
#include "hft/model/architecture.h"
#include "hft/model/causal_lm.h"                 // decoder_mask, next_token_labels
#include "hft/model/labelled_cross_entropy.h"    // labelled_cross_entropy
#include "hft/model/llama_layers.h"              // LlamaDecoderLayer, RmsNorm
#include "hft/model/model_error.h"               // ModelError
#include "hft/model/lora_layer.h"  // AdaptableLinear

namespace hft::model {
namespace {

namespace nn = torch::nn;

// LlamaModel: what `model.` holds.
class LlamaBackboneImpl : public nn::Module {
 public:
  LlamaBackboneImpl(const LlamaConfig& c, const std::string& config_path) {
    auto embedding = nn::EmbeddingOptions(c.vocab_size, c.hidden_size);
    if (c.pad_token_id && *c.pad_token_id >= 0 && *c.pad_token_id < c.vocab_size) embedding.padding_idx(*c.pad_token_id);
    embed_tokens = register_module("embed_tokens", nn::Embedding(embedding));
    layers = register_module("layers", nn::ModuleList());
    for (int64_t i = 0; i < c.num_hidden_layers; ++i) layers->push_back(LlamaDecoderLayer(c, config_path));
    norm = register_module("norm", RmsNorm(c.hidden_size, c.rms_norm_eps));
  }
  nn::Embedding embed_tokens{nullptr};
  nn::ModuleList layers{nullptr};
  RmsNorm norm{nullptr};
};
TORCH_MODULE(LlamaBackbone);

class LlamaForCausalLM : public CausalLanguageModel {
 public:
  LlamaForCausalLM(const ModelConfig& config, Head head) : c_(read_llama_config(config)) {
    if (head != Head::kCausalLM)
      throw ModelError(config.path + ": model_type " + config.model_type +
                       " has a causal language-model head only; expected task: text-generation for it");
    model_ = register_module("model", LlamaBackbone(c_, config.path));
    if (!c_.tie_word_embeddings)
      lm_head_ = register_module("lm_head", AdaptableLinear(nn::LinearOptions(c_.hidden_size, c_.vocab_size).bias(false)));
    initialize(every_parameter);
  }

  ModelOutput forward(const data::Batch& inputs) override {
    const torch::Tensor mask =
        decoder_mask(data::padding_mask(inputs), inputs.input_ids, c_.sliding_window, inputs.position_ids);
    const torch::Tensor frequency = llama_inverse_frequency(c_, inputs.input_ids.device());
    const RotaryTables rotary = inputs.position_ids.defined() ? rotary_tables_at(frequency, inputs.position_ids)
                                                              : rotary_tables(frequency, inputs.input_ids.size(1));
    torch::Tensor hidden = model_->embed_tokens(inputs.input_ids);  // [B, L, H]
    for (const auto& module : *model_->layers) {
      auto& layer = *module->as<LlamaDecoderLayerImpl>();
      // By value: with recomputation, backward calls it after this forward has returned.
      auto run = [&layer, rotary, mask](const torch::Tensor& x) { return layer.forward(x, rotary, mask); };
      hidden = recompute_ ? recomputed_in_backward(run, hidden) : run(hidden);
    }
    ModelOutput out;
    out.last_hidden_state = model_->norm(hidden);
    const torch::Tensor& head = c_.tie_word_embeddings ? model_->embed_tokens->weight : lm_head_->weight;
    out.logits = nn::functional::linear(out.last_hidden_state, head);  // [B, L, vocab]
    if (inputs.labels.defined()) out.loss = labelled_cross_entropy(out.logits, next_token_labels(inputs.labels));
    return out;
  }

  torch::Tensor extend(const torch::Tensor& input_ids, KvCache& cache) override {
    const int64_t n = input_ids.size(1), past = cache.length;
    const torch::Tensor positions = torch::arange(past, past + n, input_ids.options()).unsqueeze(0);  // [1, n]
    const RotaryTables rotary = rotary_tables_at(llama_inverse_frequency(c_, input_ids.device()), positions);
    const torch::Tensor mask = cached_decoder_mask(n, past, c_.sliding_window, input_ids.device());
    cache.layers.resize(model_->layers->size());
    torch::Tensor hidden = model_->embed_tokens(input_ids);
    for (size_t i = 0; i < model_->layers->size(); ++i)
      hidden = model_->layers[i]->as<LlamaDecoderLayerImpl>()->forward(hidden, rotary, mask, &cache.layers[i]);
    cache.length += n;
    const torch::Tensor& head = c_.tie_word_embeddings ? model_->embed_tokens->weight : lm_head_->weight;
    return nn::functional::linear(model_->norm(hidden), head);
  }

  void set_activation_recomputation(bool enabled) override { recompute_ = enabled; }

  // LlamaPreTrainedModel._init_weights: Linear and Embedding weights N(0, initializer_range),
  // biases 0, the padding token's embedding 0; RMSNorm weights 1. In module order.
  void initialize(const ParameterSelection& selected) override {
    torch::NoGradGuard no_grad;
    for (const auto& item : named_modules("", /*include_self=*/false)) {
      const std::string& name = item.key();
      if (auto* linear = item.value()->as<nn::Linear>()) {
        if (selected(name + ".weight")) linear->weight.normal_(0.0, c_.initializer_range);
        if (linear->bias.defined() && selected(name + ".bias")) linear->bias.zero_();
      } else if (auto* embedding = item.value()->as<nn::Embedding>()) {
        if (!selected(name + ".weight")) continue;
        embedding->weight.normal_(0.0, c_.initializer_range);
        if (embedding->options.padding_idx()) embedding->weight[*embedding->options.padding_idx()].zero_();
      } else if (auto* rms = item.value()->as<RmsNormImpl>()) {
        if (selected(name + ".weight")) rms->weight.fill_(1.0);
      }
    }
  }

 private:
  LlamaConfig c_;
  LlamaBackbone model_{nullptr};
  AdaptableLinear lm_head_{nullptr};
  bool recompute_ = false;
};

ConfigSizes llama_sizes(const ModelConfig& config) {
  const LlamaConfig c = read_llama_config(config);
  const SizeKey vocab{"vocab_size", c.vocab_size}, hidden{"hidden_size", c.hidden_size};
  const SizeKey query_width{"num_attention_heads x head_dim", c.num_attention_heads * c.head_dim};
  const SizeKey kv_width{"num_key_value_heads x head_dim", c.num_key_value_heads * c.head_dim};
  ConfigSizes sizes;
  sizes.tensors = {{"embed_tokens.weight", {vocab, hidden}},
                   {"layers.0.self_attn.q_proj.weight", {query_width, hidden}},
                   {"layers.0.self_attn.k_proj.weight", {kv_width, hidden}},
                   {"layers.0.mlp.gate_proj.weight", {{"intermediate_size", c.intermediate_size}, hidden}}};
  sizes.layers = {{"num_hidden_layers", c.num_hidden_layers}, "layers"};
  sizes.inputs = {vocab, std::nullopt, std::nullopt};  // rotary positions; no token types
  return sizes;
}

}  // namespace

// One architecture of the family: its model_type and the prefix of its transformers classes.
Architecture llama_family(const std::string& model_type, const std::string& class_prefix) {
  Architecture a{model_type, class_prefix, "model",
                 [](const ModelConfig& config, Head head) { return std::make_shared<LlamaForCausalLM>(config, head); },
                 llama_sizes};
  a.heads = {Head::kCausalLM};
  return a;
}

Architecture llama_architecture() { return llama_family("llama", "Llama"); }
Architecture mistral_architecture() { return llama_family("mistral", "Mistral"); }
Architecture qwen2_architecture() { return llama_family("qwen2", "Qwen2"); }
Architecture qwen3_architecture() { return llama_family("qwen3", "Qwen3"); }

}  // namespace hft::model
