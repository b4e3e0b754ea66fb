// BertForSequenceClassification: the BERT backbone with its pooler, dropout and a linear
// classifier (names: bert.*, classifier.*).
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "hft/model/architecture.h"
#include "hft/model/bert_backbone.h"
#include "hft/model/classification_loss.h"

namespace hft::model {
namespace {

class BertForSequenceClassification : public SequenceClassifier {
 public:
  explicit BertForSequenceClassification(const ModelConfig& config)
      : config_(read_bert_family_config(config, BertFamilyConfig{})), problem_type_(config.problem_type) {
    bert_ = register_module("bert", BertBackbone(config_, BackboneOptions{.pooler = true}, config.path));
    dropout_ = register_module("dropout", torch::nn::Dropout(config_.classifier_dropout.value_or(config_.hidden_dropout_prob)));
    classifier_ = register_module("classifier", torch::nn::Linear(config_.hidden_size, config.num_labels()));
    init_weights_like_transformers(*this, config_.initializer_range);
  }

  ClassifierOutput forward(const ModelInputs& inputs) override {
    const BackboneOutput backbone = bert_(inputs);
    ClassifierOutput out{classifier_(dropout_(backbone.pooled)), backbone.last_hidden_state, {}};
    if (inputs.labels.defined()) out.loss = classification_loss(out.logits, inputs.labels, problem_type_);
    return out;
  }

  void set_activation_checkpointing(bool enabled) override { bert_->set_activation_checkpointing(enabled); }

 private:
  BertFamilyConfig config_;
  std::optional<std::string> problem_type_;
  BertBackbone bert_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear classifier_{nullptr};
};

}  // namespace

Architecture bert_architecture() {
  return {"bert", "BertForSequenceClassification", "bert", 0.02,
          [](const ModelConfig& config) { return std::make_shared<BertForSequenceClassification>(config); }};
}

}  // namespace hft::model
