#include "hft/model/bert_family_classifier.h"

#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "hft/model/classification_loss.h"

namespace hft::model {
namespace {

class BertFamilyClassifier : public SequenceClassifier {
 public:
  BertFamilyClassifier(const ModelConfig& config, const BertFamilySpec& spec)
      : config_(read_bert_family_config(config, spec.defaults)), problem_type_(config.problem_type) {
    backbone_ = register_module(spec.backbone_name, BertBackbone(config_, spec.backbone, config.path));
    const double dropout = config_.classifier_dropout.value_or(config_.hidden_dropout_prob);
    if (spec.head == BertFamilyHead::kPooledLinear) {
      dropout_ = register_module("dropout", torch::nn::Dropout(dropout));
      linear_head_ = register_module("classifier", torch::nn::Linear(config_.hidden_size, config.num_labels()));
    } else {
      Activation activation = spec.head == BertFamilyHead::kFirstTokenTanh
                                  ? Activation([](const torch::Tensor& x) { return torch::tanh(x); })
                                  : Activation([](const torch::Tensor& x) { return torch::gelu(x); });
      first_token_head_ = register_module(
          "classifier", FirstTokenHead(config_.hidden_size, config.num_labels(), dropout, std::move(activation)));
    }
    initialize(every_parameter);
  }

  void initialize(const ParameterSelection& selected) override {
    init_weights_like_transformers(*this, config_.initializer_range, selected);
  }

  ClassifierOutput forward(const ModelInputs& inputs) override {
    const BackboneOutput backbone = backbone_(inputs);
    ClassifierOutput out;
    out.last_hidden_state = backbone.last_hidden_state;
    out.logits = linear_head_ ? linear_head_(dropout_(backbone.pooled)) : first_token_head_(backbone.last_hidden_state);
    if (inputs.labels.defined()) out.loss = classification_loss(out.logits, inputs.labels, problem_type_);
    return out;
  }

  void set_activation_checkpointing(bool enabled) override { backbone_->set_activation_checkpointing(enabled); }

 private:
  BertFamilyConfig config_;
  std::optional<std::string> problem_type_;
  BertBackbone backbone_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear linear_head_{nullptr};
  FirstTokenHead first_token_head_{nullptr};
};

}  // namespace

std::shared_ptr<SequenceClassifier> build_bert_family_classifier(const ModelConfig& config, const BertFamilySpec& spec) {
  return std::make_shared<BertFamilyClassifier>(config, spec);
}

}  // namespace hft::model
