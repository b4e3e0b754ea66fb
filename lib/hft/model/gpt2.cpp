// GPT2LMHeadModel: `transformer.wte` (tokens) and `transformer.wpe` (learned positions), the
// blocks `transformer.h.<i>` (ln_1, attention through one c_attn projection, ln_2, MLP), the
// final `transformer.ln_f`, and the output layer tied to wte. GPT-2's projections are Conv1D
// modules: their weight is [in, out], the transpose of a Linear's, and is stored so.
#include <torch/nn/functional/linear.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/normalization.h>
#include <torch/torch.h>

#include <cmath>

#include "hft/model/activation_recomputation.h"  // recomputed_in_backward
#include "hft/model/activations.h"               // activation_by_name
#include "hft/model/architecture.h"
#include "hft/model/causal_lm.h"                 // decoder_mask, next_token_labels
#include "hft/model/labelled_cross_entropy.h"    // labelled_cross_entropy
#include "hft/model/model_error.h"               // ModelError
#include "hft/model/lora_layer.h"              // LoraTarget

namespace hft::model {
namespace {

namespace nn = torch::nn;

struct Gpt2Config {
  int64_t vocab_size = 50257, n_positions = 1024, n_embd = 768, n_layer = 12, n_head = 12, n_inner = 0;
  std::string activation_function = "gelu_new";
  double resid_pdrop = 0.1, embd_pdrop = 0.1, attn_pdrop = 0.1, layer_norm_epsilon = 1e-5, initializer_range = 0.02;
};

Gpt2Config read_gpt2_config(const ModelConfig& config) {
  Gpt2Config c;
  c.vocab_size = config_value(config, "vocab_size", c.vocab_size);
  c.n_positions = config_value(config, "n_positions", c.n_positions);
  c.n_embd = config_value(config, "n_embd", c.n_embd);
  c.n_layer = config_value(config, "n_layer", c.n_layer);
  c.n_head = config_value(config, "n_head", c.n_head);
  c.n_inner = config_value(config, "n_inner", 4 * c.n_embd);  // null: 4 x n_embd
  require_sizes(config, {{"vocab_size", c.vocab_size}, {"n_positions", c.n_positions}, {"n_embd", c.n_embd},
                         {"n_layer", c.n_layer}, {"n_head", c.n_head}, {"n_inner", c.n_inner}});
  require_heads_divide(config, "n_embd", c.n_embd, "n_head", c.n_head);
  c.activation_function = config_value(config, "activation_function", c.activation_function);
  c.resid_pdrop = config_value(config, "resid_pdrop", c.resid_pdrop);
  c.embd_pdrop = config_value(config, "embd_pdrop", c.embd_pdrop);
  c.attn_pdrop = config_value(config, "attn_pdrop", c.attn_pdrop);
  require_probabilities(config, {{"resid_pdrop", c.resid_pdrop}, {"embd_pdrop", c.embd_pdrop}, {"attn_pdrop", c.attn_pdrop}});
  c.layer_norm_epsilon = config_value(config, "layer_norm_epsilon", c.layer_norm_epsilon);
  require_above_zero(config, "layer_norm_epsilon", c.layer_norm_epsilon);
  c.initializer_range = config_value(config, "initializer_range", c.initializer_range);
  for (const char* key : {"scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn"})
    if (config_value(config, key, false))
      throw ModelError(config.path + ": " + key + ": true is not supported; expected false (GPT-2's own setting)");
  if (!config_value(config, "scale_attn_weights", true))
    throw ModelError(config.path + ": scale_attn_weights: false is not supported; expected true");
  return c;
}

// transformers' Conv1D: y = x W + b with W [in, out]; a LoRA adapter's A and B keep PEFT's
// [r, in] and [out, r] (its fan_in_fan_out).
class Conv1dImpl : public nn::Module, public LoraTarget {
 public:
  Conv1dImpl(int64_t in, int64_t out) {
    weight = register_parameter("weight", torch::empty({in, out}));
    bias = register_parameter("bias", torch::zeros({out}));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    auto shape = x.sizes().vec();
    shape.back() = weight.size(1);
    return plus_lora(x, torch::addmm(bias, x.reshape({-1, x.size(-1)}), weight).view(shape), is_training());
  }
  int64_t in_features() const override { return weight.size(0); }
  int64_t out_features() const override { return weight.size(1); }
  torch::Tensor weight, bias;

 protected:
  void add_to_weight(const torch::Tensor& delta) override { weight.add_(delta.t()); }
};
TORCH_MODULE(Conv1d);

class Gpt2AttentionImpl : public nn::Module {
 public:
  explicit Gpt2AttentionImpl(const Gpt2Config& c) : heads_(c.n_head), dropout_(c.attn_pdrop) {
    c_attn = register_module("c_attn", Conv1d(c.n_embd, 3 * c.n_embd));
    c_proj = register_module("c_proj", Conv1d(c.n_embd, c.n_embd));
    resid_dropout = register_module("resid_dropout", nn::Dropout(c.resid_pdrop));
  }
  // `cache`: generation; the new keys and values join it and attention sees all of it.
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& mask, KvLayer* cache = nullptr) {
    const int64_t batch = hidden.size(0), length = hidden.size(1), width = hidden.size(2);
    const std::vector<torch::Tensor> qkv = c_attn(hidden).split(width, 2);
    auto heads = [&](const torch::Tensor& x) { return x.view({batch, length, heads_, width / heads_}).transpose(1, 2); };
    torch::Tensor k = heads(qkv[1]), v = heads(qkv[2]);
    if (cache) std::tie(k, v) = append_to(*cache, k, v);
    const torch::Tensor context = torch::scaled_dot_product_attention(
        heads(qkv[0]), k, v, mask.defined() ? std::optional<torch::Tensor>(mask) : std::nullopt,
        is_training() ? dropout_ : 0.0, /*is_causal=*/!mask.defined());
    return resid_dropout(c_proj(context.transpose(1, 2).reshape({batch, length, width})));
  }
  Conv1d c_attn{nullptr}, c_proj{nullptr};
  nn::Dropout resid_dropout{nullptr};

 private:
  int64_t heads_;
  double dropout_;
};
TORCH_MODULE(Gpt2Attention);

class Gpt2MlpImpl : public nn::Module {
 public:
  Gpt2MlpImpl(const Gpt2Config& c, const std::string& config_path)
      : activation_(activation_by_name(c.activation_function, config_path, "activation_function")) {
    c_fc = register_module("c_fc", Conv1d(c.n_embd, c.n_inner));
    c_proj = register_module("c_proj", Conv1d(c.n_inner, c.n_embd));
    dropout = register_module("dropout", nn::Dropout(c.resid_pdrop));
  }
  torch::Tensor forward(const torch::Tensor& x) { return dropout(c_proj(activation_(c_fc(x)))); }
  Conv1d c_fc{nullptr}, c_proj{nullptr};
  nn::Dropout dropout{nullptr};

 private:
  Activation activation_;
};
TORCH_MODULE(Gpt2Mlp);

class Gpt2BlockImpl : public nn::Module {
 public:
  Gpt2BlockImpl(const Gpt2Config& c, const std::string& config_path) {
    auto norm = [&] { return nn::LayerNorm(nn::LayerNormOptions({c.n_embd}).eps(c.layer_norm_epsilon)); };
    ln_1 = register_module("ln_1", norm());
    attn = register_module("attn", Gpt2Attention(c));
    ln_2 = register_module("ln_2", norm());
    mlp = register_module("mlp", Gpt2Mlp(c, config_path));
  }
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& mask, KvLayer* cache = nullptr) {
    const torch::Tensor attended = hidden + attn->forward(ln_1(hidden), mask, cache);
    return attended + mlp(ln_2(attended));
  }
  nn::LayerNorm ln_1{nullptr}, ln_2{nullptr};
  Gpt2Attention attn{nullptr};
  Gpt2Mlp mlp{nullptr};
};
TORCH_MODULE(Gpt2Block);

class Gpt2ModelImpl : public nn::Module {
 public:
  Gpt2ModelImpl(const Gpt2Config& c, const std::string& config_path) {
    wte = register_module("wte", nn::Embedding(c.vocab_size, c.n_embd));
    wpe = register_module("wpe", nn::Embedding(c.n_positions, c.n_embd));
    drop = register_module("drop", nn::Dropout(c.embd_pdrop));
    h = register_module("h", nn::ModuleList());
    for (int64_t i = 0; i < c.n_layer; ++i) h->push_back(Gpt2Block(c, config_path));
    ln_f = register_module("ln_f", nn::LayerNorm(nn::LayerNormOptions({c.n_embd}).eps(c.layer_norm_epsilon)));
  }
  nn::Embedding wte{nullptr}, wpe{nullptr};
  nn::Dropout drop{nullptr};
  nn::ModuleList h{nullptr};
  nn::LayerNorm ln_f{nullptr};
};
TORCH_MODULE(Gpt2Model);

class Gpt2LmHeadModel : public CausalLanguageModel {
 public:
  Gpt2LmHeadModel(const ModelConfig& config, Head head) : c_(read_gpt2_config(config)) {
    if (head != Head::kCausalLM)
      throw ModelError(config.path + ": model_type gpt2 has a causal language-model head only; expected task: "
                       "text-generation for it");
    transformer_ = register_module("transformer", Gpt2Model(c_, config.path));
    initialize(every_parameter);
  }

  ModelOutput forward(const data::Batch& inputs) override {
    const torch::Tensor mask = decoder_mask(data::padding_mask(inputs), inputs.input_ids, std::nullopt, inputs.position_ids);
    const int64_t length = inputs.input_ids.size(1);
    const torch::Tensor positions = inputs.position_ids.defined()
                                        ? inputs.position_ids
                                        : torch::arange(length, inputs.input_ids.options()).unsqueeze(0);  // [1, L]
    torch::Tensor hidden = transformer_->drop(transformer_->wte(inputs.input_ids) + transformer_->wpe(positions));
    for (const auto& module : *transformer_->h) {
      auto& block = *module->as<Gpt2BlockImpl>();
      // By value: with recomputation, backward calls it after this forward has returned.
      auto run = [&block, mask](const torch::Tensor& x) { return block.forward(x, mask); };
      hidden = recompute_ ? recomputed_in_backward(run, hidden) : run(hidden);
    }
    ModelOutput out;
    out.last_hidden_state = transformer_->ln_f(hidden);
    out.logits = nn::functional::linear(out.last_hidden_state, transformer_->wte->weight);  // lm_head tied to wte
    if (inputs.labels.defined()) out.loss = labelled_cross_entropy(out.logits, next_token_labels(inputs.labels));
    return out;
  }

  torch::Tensor extend(const torch::Tensor& input_ids, KvCache& cache) override {
    const int64_t n = input_ids.size(1), past = cache.length;
    const torch::Tensor positions = torch::arange(past, past + n, input_ids.options()).unsqueeze(0);  // [1, n]
    const torch::Tensor mask = cached_decoder_mask(n, past, std::nullopt, input_ids.device());
    cache.layers.resize(transformer_->h->size());
    torch::Tensor hidden = transformer_->wte(input_ids) + transformer_->wpe(positions);
    for (size_t i = 0; i < transformer_->h->size(); ++i)
      hidden = transformer_->h[i]->as<Gpt2BlockImpl>()->forward(hidden, mask, &cache.layers[i]);
    cache.length += n;
    return nn::functional::linear(transformer_->ln_f(hidden), transformer_->wte->weight);
  }

  void set_activation_recomputation(bool enabled) override { recompute_ = enabled; }

  // GPT2PreTrainedModel._init_weights: weights N(0, initializer_range), the residual projections
  // (c_proj) N(0, initializer_range / sqrt(2 n_layer)), biases 0, LayerNorms 1 and 0.
  void initialize(const ParameterSelection& selected) override {
    torch::NoGradGuard no_grad;
    const double residual = c_.initializer_range / std::sqrt(2.0 * c_.n_layer);
    for (const auto& item : named_modules("", /*include_self=*/false)) {
      const std::string& name = item.key();
      if (auto* conv = item.value()->as<Conv1dImpl>()) {
        if (selected(name + ".weight")) conv->weight.normal_(0.0, name.ends_with("c_proj") ? residual : c_.initializer_range);
        if (selected(name + ".bias")) conv->bias.zero_();
      } else if (auto* embedding = item.value()->as<nn::Embedding>()) {
        if (selected(name + ".weight")) embedding->weight.normal_(0.0, c_.initializer_range);
      } else if (auto* norm = item.value()->as<nn::LayerNorm>()) {
        if (selected(name + ".weight")) norm->weight.fill_(1.0);
        if (selected(name + ".bias")) norm->bias.zero_();
      }
    }
  }

 private:
  Gpt2Config c_;
  Gpt2Model transformer_{nullptr};
  bool recompute_ = false;
};

ConfigSizes gpt2_sizes(const ModelConfig& config) {
  const Gpt2Config c = read_gpt2_config(config);
  const SizeKey vocab{"vocab_size", c.vocab_size}, width{"n_embd", c.n_embd}, positions{"n_positions", c.n_positions};
  ConfigSizes sizes;
  sizes.tensors = {{"wte.weight", {vocab, width}},
                   {"wpe.weight", {positions, width}},
                   {"h.0.mlp.c_fc.weight", {width, {"n_inner", c.n_inner}}}};
  sizes.layers = {{"n_layer", c.n_layer}, "h"};
  sizes.inputs = {vocab, PositionLimit{positions, c.n_positions}, std::nullopt};
  return sizes;
}

}  // namespace

Architecture gpt2_architecture() {
  Architecture a{"gpt2", "GPT2", "transformer",
                 [](const ModelConfig& config, Head head) { return std::make_shared<Gpt2LmHeadModel>(config, head); },
                 gpt2_sizes};
  a.heads = {Head::kCausalLM};
  a.causal_lm_class = "GPT2LMHeadModel";
  return a;
}

}  // namespace hft::model
