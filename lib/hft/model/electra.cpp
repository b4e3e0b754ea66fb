// ElectraForSequenceClassification: BERT layers behind embeddings that may be narrower than the
// encoder (embeddings_project), no pooler, and a dense-GELU head on the first token
// (names: electra.*, classifier.dense, classifier.out_proj).
#include "hft/model/architecture.h"
#include "hft/model/bert_backbone.h"
#include "hft/model/classification_loss.h"

namespace hft::model {
namespace {

BertFamilyConfig electra_defaults() {
  BertFamilyConfig defaults;
  defaults.embedding_size = 128;
  defaults.hidden_size = 256;
  defaults.num_attention_heads = 4;
  defaults.intermediate_size = 1024;
  return defaults;
}

class ElectraForSequenceClassification : public SequenceClassifier {
 public:
  explicit ElectraForSequenceClassification(const ModelConfig& config)
      : config_(read_bert_family_config(config, electra_defaults())), problem_type_(config.problem_type) {
    electra_ = register_module("electra", BertBackbone(config_, BackboneOptions{.pooler = false}, config.path));
    classifier_ = register_module(
        "classifier", FirstTokenHead(config_.hidden_size, config.num_labels(),
                                     config_.classifier_dropout.value_or(config_.hidden_dropout_prob),
                                     [](const torch::Tensor& x) { return torch::gelu(x); }));
    init_weights_like_transformers(*this, config_.initializer_range);
  }

  ClassifierOutput forward(const ModelInputs& inputs) override {
    const BackboneOutput backbone = electra_(inputs);
    ClassifierOutput out{classifier_(backbone.last_hidden_state), backbone.last_hidden_state, {}};
    if (inputs.labels.defined()) out.loss = classification_loss(out.logits, inputs.labels, problem_type_);
    return out;
  }

  void set_activation_checkpointing(bool enabled) override { electra_->set_activation_checkpointing(enabled); }

 private:
  BertFamilyConfig config_;
  std::optional<std::string> problem_type_;
  BertBackbone electra_{nullptr};
  FirstTokenHead classifier_{nullptr};
};

}  // namespace

Architecture electra_architecture() {
  return {"electra", "ElectraForSequenceClassification", "electra", 0.02,
          [](const ModelConfig& config) { return std::make_shared<ElectraForSequenceClassification>(config); }};
}

}  // namespace hft::model
