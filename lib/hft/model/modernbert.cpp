// ModernBertForSequenceClassification: the backbone under `model`, pooling (the first token, or
// the mean over real tokens: classifier_pooling), `head` (dense, activation, norm), dropout and
// `classifier`.
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include <cmath>

#include "hft/model/architecture.h"
#include "hft/model/classification_loss.h"  // classification_loss
#include "hft/model/modernbert_backbone.h"  // ModernBertBackbone

namespace hft::model {
namespace {

namespace nn = torch::nn;

// transformers' ModernBertPredictionHead: norm(act(dense(pooled))).
class ModernBertHeadImpl : public nn::Module {
 public:
  ModernBertHeadImpl(const ModernBertConfig& c, const std::string& config_path)
      : activation_(activation_by_name(c.classifier_activation, config_path, "classifier_activation")) {
    dense = register_module("dense", nn::Linear(nn::LinearOptions(c.hidden_size, c.hidden_size).bias(c.classifier_bias)));
    norm = register_module("norm", BiasOptionalLayerNorm(c.hidden_size, c.norm_eps, c.norm_bias));
  }
  torch::Tensor forward(const torch::Tensor& pooled) { return norm(activation_(dense(pooled))); }  // [B, H]

  nn::Linear dense{nullptr};
  BiasOptionalLayerNorm norm{nullptr};

 private:
  Activation activation_;
};
TORCH_MODULE(ModernBertHead);

// [B, L, H] -> [B, H]: the first token, or the mean over the tokens the mask keeps.
torch::Tensor pool(const torch::Tensor& hidden, const torch::Tensor& attention_mask, const std::string& pooling) {
  if (pooling == "cls") return hidden.select(1, 0);
  if (!attention_mask.defined()) return hidden.mean(1);
  const torch::Tensor mask = attention_mask.to(hidden.scalar_type()).unsqueeze(-1);  // [B, L, 1]
  return (hidden * mask).sum(1) / mask.sum(1);
}

// Weights from a truncated normal within +-cutoff_factor standard deviations.
void truncated_normal(torch::Tensor weight, double std, double cutoff_factor) {
  // Inverse-CDF sampling, as torch.nn.init.trunc_normal_: uniform in the CDF's range, then erfinv.
  const double bound = std::erf(cutoff_factor / std::sqrt(2.0));
  weight.uniform_(-bound, bound).erfinv_().mul_(std * std::sqrt(2.0)).clamp_(-cutoff_factor * std, cutoff_factor * std);
}

void init_linear(nn::LinearImpl& linear, double std, double cutoff_factor) {
  truncated_normal(linear.weight, std, cutoff_factor);
  if (linear.bias.defined()) linear.bias.zero_();
}

class ModernBertClassifier : public SequenceClassifier {
 public:
  explicit ModernBertClassifier(const ModelConfig& config)
      : config_(read_modernbert_config(config)), problem_type_(config.problem_type) {
    backbone_ = register_module("model", ModernBertBackbone(config_, config.path));
    head_ = register_module("head", ModernBertHead(config_, config.path));
    drop_ = register_module("drop", nn::Dropout(config_.classifier_dropout));
    classifier_ = register_module("classifier", nn::Linear(config_.hidden_size, config.num_labels()));
    init_weights();
  }

  ClassifierOutput forward(const ModelInputs& inputs) override {
    ClassifierOutput out;
    out.last_hidden_state = backbone_(inputs.input_ids, inputs.attention_mask);  // [B, L, H]
    const torch::Tensor pooled = pool(out.last_hidden_state, inputs.attention_mask, config_.classifier_pooling);
    out.logits = classifier_(drop_(head_(pooled)));
    if (inputs.labels.defined()) out.loss = classification_loss(out.logits, inputs.labels, problem_type_);
    return out;
  }

  void set_activation_checkpointing(bool enabled) override { backbone_->set_activation_checkpointing(enabled); }

 private:
  // As transformers' ModernBertPreTrainedModel._init_weights: truncated normals, "in" projections
  // with initializer_range, "out" projections scaled down by sqrt(2 x layers), the classifier
  // with hidden_size^-0.5; norms start at weight 1, bias 0 (their constructor's values).
  void init_weights() {
    torch::NoGradGuard no_grad;
    const double cutoff = config_.initializer_cutoff_factor;
    const double in = config_.initializer_range;
    const double out = in / std::sqrt(2.0 * config_.num_hidden_layers);
    truncated_normal(backbone_->embeddings->tok_embeddings->weight, in, cutoff);
    for (const auto& item : backbone_->named_modules()) {
      auto* linear = item.value()->as<nn::Linear>();
      if (!linear) continue;
      const bool input_side = item.key().ends_with("Wqkv") || item.key().ends_with("Wi");
      init_linear(*linear, input_side ? in : out, cutoff);
    }
    init_linear(*head_->dense, out, cutoff);
    init_linear(*classifier_, std::pow(static_cast<double>(config_.hidden_size), -0.5), cutoff);
  }

  ModernBertConfig config_;
  std::optional<std::string> problem_type_;
  ModernBertBackbone backbone_{nullptr};
  ModernBertHead head_{nullptr};
  nn::Dropout drop_{nullptr};
  nn::Linear classifier_{nullptr};
};

}  // namespace

Architecture modernbert_architecture() {
  return {"modernbert", "ModernBertForSequenceClassification", "model",
          [](const ModelConfig& config) { return std::make_shared<ModernBertClassifier>(config); }};
}

}  // namespace hft::model
