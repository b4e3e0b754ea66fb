// RobertaForSequenceClassification: the BERT encoder with fairseq-style positions, no pooler,
// and a dense-tanh head on the <s> token (names: roberta.*, classifier.dense, classifier.out_proj).
#include "hft/model/architecture.h"
#include "hft/model/bert_backbone.h"
#include "hft/model/classification_loss.h"

namespace hft::model {
namespace {

BertFamilyConfig roberta_defaults() {
  BertFamilyConfig defaults;
  defaults.vocab_size = 50265;
  defaults.pad_token_id = 1;
  return defaults;
}

class RobertaForSequenceClassification : public SequenceClassifier {
 public:
  explicit RobertaForSequenceClassification(const ModelConfig& config)
      : config_(read_bert_family_config(config, roberta_defaults())), problem_type_(config.problem_type) {
    roberta_ = register_module(
        "roberta", BertBackbone(config_, BackboneOptions{.pooler = false, .roberta_positions = true}, config.path));
    classifier_ = register_module(
        "classifier", FirstTokenHead(config_.hidden_size, config.num_labels(),
                                     config_.classifier_dropout.value_or(config_.hidden_dropout_prob),
                                     [](const torch::Tensor& x) { return torch::tanh(x); }));
    init_weights_like_transformers(*this, config_.initializer_range);
  }

  ClassifierOutput forward(const ModelInputs& inputs) override {
    const BackboneOutput backbone = roberta_(inputs);
    ClassifierOutput out{classifier_(backbone.last_hidden_state), backbone.last_hidden_state, {}};
    if (inputs.labels.defined()) out.loss = classification_loss(out.logits, inputs.labels, problem_type_);
    return out;
  }

  void set_activation_checkpointing(bool enabled) override { roberta_->set_activation_checkpointing(enabled); }

 private:
  BertFamilyConfig config_;
  std::optional<std::string> problem_type_;
  BertBackbone roberta_{nullptr};
  FirstTokenHead classifier_{nullptr};
};

}  // namespace

Architecture roberta_architecture() {
  return {"roberta", "RobertaForSequenceClassification", "roberta", 0.02,
          [](const ModelConfig& config) { return std::make_shared<RobertaForSequenceClassification>(config); }};
}

}  // namespace hft::model
