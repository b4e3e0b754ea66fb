// ModernBertForSequenceClassification: the backbone under `model`, pooling (the first token, or
// the mean over real tokens: classifier_pooling), `head` (dense, activation, norm), dropout and
// `classifier`. ModernBertForTokenClassification: head, dropout and classifier on every token.
// ModernBertForMultipleChoice: the choices as rows, pooled (the first attended token, or the
// mean), head, dropout and a classifier of width 1: one score per choice.
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include <cmath>
#include <string>
#include <vector>

#include "hft/model/architecture.h"
#include "hft/model/classification_loss.h"  // classification_loss
#include "hft/model/labelled_cross_entropy.h"  // labelled_cross_entropy
#include "hft/model/modernbert_backbone.h"  // ModernBertBackbone
#include "hft/model/multiple_choice.h"      // flatten_choices, scores_per_choice
#include "hft/model/lora_layer.h"  // AdaptableLinear

namespace hft::model {
namespace {

namespace nn = torch::nn;

// transformers' ModernBertPredictionHead: norm(act(dense(pooled))).
class ModernBertHeadImpl : public nn::Module {
 public:
  ModernBertHeadImpl(const ModernBertConfig& c, const std::string& config_path)
      : activation_(activation_by_name(c.classifier_activation, config_path, "classifier_activation")) {
    dense = register_module("dense", AdaptableLinear(nn::LinearOptions(c.hidden_size, c.hidden_size).bias(c.classifier_bias)));
    norm = register_module("norm", BiasOptionalLayerNorm(c.hidden_size, c.norm_eps, c.norm_bias));
  }
  torch::Tensor forward(const torch::Tensor& pooled) { return norm(activation_(dense(pooled))); }  // [B, H]

  AdaptableLinear dense{nullptr};
  BiasOptionalLayerNorm norm{nullptr};

 private:
  Activation activation_;
};
TORCH_MODULE(ModernBertHead);

// [B, L, H] -> [B, H]: the first token (for choices, as transformers' multiple-choice model
// takes it: the first one the mask keeps), or the mean over the tokens the mask keeps.
torch::Tensor pool(const torch::Tensor& hidden, const torch::Tensor& attention_mask, const std::string& pooling,
                   bool choices) {
  if (pooling == "cls" && choices && attention_mask.defined()) {
    const torch::Tensor first = attention_mask.argmax(-1);                          // [B]
    return hidden.gather(1, first.view({-1, 1, 1}).expand({-1, 1, hidden.size(2)})).squeeze(1);
  }
  if (pooling == "cls") return hidden.select(1, 0);
  if (!attention_mask.defined()) return hidden.mean(1);
  const torch::Tensor mask = attention_mask.to(hidden.scalar_type()).unsqueeze(-1);  // [B, L, 1]
  return (hidden * mask).sum(1) / mask.sum(1);
}

// Weights from N(0, std) truncated to +-cutoff_factor standard deviations, drawn as
// torch.nn.init.trunc_normal_ draws them (so the same seed gives the same weights): where the
// interval holds over 30% of the mass, whole tensors of normals, each value kept once it falls
// inside; else uniforms inside, each accepted with probability density / peak density.
void truncated_normal(torch::Tensor weight, double std, double cutoff_factor) {
  const double bound = cutoff_factor * std;
  if (std::erf(cutoff_factor / std::sqrt(2.0)) > 0.3) {
    const double inside = static_cast<float>(bound);  // the bound as the weights' float, as torch compares
    torch::Tensor result = weight.normal_(0.0, std);
    for (torch::Tensor outside = result.abs().gt(inside); outside.any().item<bool>(); outside = result.abs().gt(inside))
      result = torch::where(outside, torch::empty_like(result).normal_(0.0, std), result);
    if (!result.is_same(weight)) weight.copy_(result);
    return;
  }
  // log(density / peak) of each candidate: -x^2 / (2 std^2).
  auto log_density_ratio = [std](torch::Tensor x) { return x.div_(std).pow_(2).mul_(-0.5); };
  torch::Tensor candidates = torch::empty_like(weight), accept = torch::empty_like(weight);
  candidates.copy_(weight.uniform_(-bound, bound));
  torch::Tensor pending = accept.uniform_().log_().gt(log_density_ratio(candidates));
  torch::Tensor result = weight;
  while (pending.any().item<bool>()) {
    result = torch::where(pending, candidates.uniform_(-bound, bound), result);
    pending = torch::where(pending, accept.uniform_().log_().gt(log_density_ratio(candidates)), pending);
  }
  if (!result.is_same(weight)) weight.copy_(result);
}

// The three task models differ only in what reaches `head` (every token, or one summary per
// row) and in the classifier's width; the parameters and their initialisation are the same.
class ModernBertClassifier : public TaskModel {
 public:
  ModernBertClassifier(const ModelConfig& config, Head task)
      : config_(read_modernbert_config(config)), problem_type_(config.problem_type), task_(task) {
    backbone_ = register_module("model", ModernBertBackbone(config_, config.path));
    head_ = register_module("head", ModernBertHead(config_, config.path));
    drop_ = register_module("drop", nn::Dropout(config_.classifier_dropout));
    const int64_t width = task == Head::kMultipleChoice ? 1 : config.num_labels();
    classifier_ = register_module("classifier", AdaptableLinear(config_.hidden_size, width));
    initialize(every_parameter);
  }

  ModelOutput forward(const data::Batch& inputs) override {
    const bool choices = task_ == Head::kMultipleChoice;
    const data::Batch rows = choices ? flatten_choices(inputs) : inputs;  // [B*N, L] for choices
    ModelOutput out;
    out.last_hidden_state = backbone_(rows.input_ids, data::padding_mask(rows));  // [B, L, H]
    if (task_ == Head::kTokenClassification) {
      out.logits = classifier_(drop_(head_(out.last_hidden_state)));  // [B, L, C]
      if (inputs.labels.defined()) out.loss = labelled_cross_entropy(out.logits, inputs.labels);
      return out;
    }
    const torch::Tensor pooled = pool(out.last_hidden_state, rows.attention_mask, config_.classifier_pooling, choices);
    out.logits = classifier_(drop_(head_(pooled)));                  // [B, C] ([B*N, 1] for choices)
    if (choices) out.logits = scores_per_choice(out.logits, inputs);  // [B, N]
    if (!inputs.labels.defined()) return out;
    out.loss = choices ? labelled_cross_entropy(out.logits, inputs.labels)
                       : classification_loss(out.logits, inputs.labels, problem_type_);
    return out;
  }

  void set_activation_recomputation(bool enabled) override { backbone_->set_activation_recomputation(enabled); }

  // As transformers' ModernBertPreTrainedModel._init_weights: truncated normals, "in" projections
  // with initializer_range, "out" projections scaled down by sqrt(2 x layers), the classifier
  // with hidden_size^-0.5; norms start at weight 1, bias 0 (their constructor's values).
  void initialize(const ParameterSelection& selected) override {
    torch::NoGradGuard no_grad;
    const double in = config_.initializer_range;
    const double out = in / std::sqrt(2.0 * config_.num_hidden_layers);
    std::vector<OwnedWeight> embeddings{{"model.embeddings.tok_embeddings", backbone_->embeddings->tok_embeddings->weight,
                                         torch::Tensor(), in}};
    redraw(embeddings, selected);
    std::vector<OwnedWeight> owned;  // the Linears of one attention or MLP block: Wqkv/Wi "in", Wo "out"
    std::string owner;
    for (const auto& item : backbone_->named_modules("model")) {
      auto* linear = item.value()->as<nn::Linear>();
      if (!linear) continue;
      const std::string parent = item.key().substr(0, item.key().rfind('.'));
      if (parent != owner) redraw(owned, selected), owned.clear(), owner = parent;
      const bool input_side = item.key().ends_with("Wqkv") || item.key().ends_with("Wi");
      owned.push_back({item.key(), linear->weight, linear->bias, input_side ? in : out});
    }
    redraw(owned, selected);
    redraw({{"head.dense", head_->dense->weight, head_->dense->bias, out}}, selected);
    redraw({{"classifier", classifier_->weight, classifier_->bias, std::pow(double(config_.hidden_size), -0.5)}}, selected);
  }

 private:
  struct OwnedWeight {
    std::string name;  // the module's, "model.layers.0.attn.Wqkv"
    torch::Tensor weight, bias;
    double std;  // of the truncated normal
  };

  // transformers visits children before their owner: each Linear or Embedding first gets the
  // generic N(0, initializer_range) draw of PreTrainedModel._init_weights, then the owner
  // (embeddings, attention, MLP, head, the model) draws its weights again from a truncated
  // normal. Both draws move the generator, so both are made, in that order.
  void redraw(const std::vector<OwnedWeight>& owned, const ParameterSelection& selected) {
    for (const auto& w : owned)
      if (selected(w.name + ".weight")) w.weight.normal_(0.0, config_.initializer_range);
    for (const auto& w : owned) {
      if (selected(w.name + ".weight")) truncated_normal(w.weight, w.std, config_.initializer_cutoff_factor);
      if (w.bias.defined() && selected(w.name + ".bias")) w.bias.zero_();
    }
  }

  ModernBertConfig config_;
  std::optional<std::string> problem_type_;
  Head task_;
  ModernBertBackbone backbone_{nullptr};
  ModernBertHead head_{nullptr};
  nn::Dropout drop_{nullptr};
  AdaptableLinear classifier_{nullptr};
};

ConfigSizes modernbert_sizes(const ModelConfig& config) {
  const ModernBertConfig c = read_modernbert_fields(config);
  const SizeKey vocab{"vocab_size", c.vocab_size}, hidden{"hidden_size", c.hidden_size};
  ConfigSizes sizes;
  sizes.tensors = {{"embeddings.tok_embeddings.weight", {vocab, hidden}},
                   {"layers.0.attn.Wo.weight", {hidden, hidden}},
                   {"layers.0.mlp.Wo.weight", {hidden, {"intermediate_size", c.intermediate_size}}}};
  sizes.layers = {{"num_hidden_layers", c.num_hidden_layers}, "layers"};
  sizes.inputs = {vocab, std::nullopt, std::nullopt};  // rotary positions: no table to run past; no token types
  return sizes;
}

}  // namespace

Architecture modernbert_architecture() {
  return {"modernbert", "ModernBert", "model",
          [](const ModelConfig& config, Head head) { return std::make_shared<ModernBertClassifier>(config, head); },
          modernbert_sizes};
}

}  // namespace hft::model
