// DistilBertForTokenClassification: the backbone under `distilbert`, dropout (config.dropout, not
// seq_classif_dropout) and a linear `classifier` on every token.
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "hft/model/bert_layers.h"          // init_weights_like_transformers
#include "hft/model/labelled_cross_entropy.h"  // labelled_cross_entropy
#include "hft/model/distilbert_backbone.h"  // DistilBertBackbone
#include "hft/model/lora_layer.h"  // AdaptableLinear

namespace hft::model {
namespace {

class DistilBertTokenClassifier : public TaskModel {
 public:
  explicit DistilBertTokenClassifier(const ModelConfig& config) : config_(read_distilbert_config(config)) {
    backbone_ = register_module("distilbert", DistilBertBackbone(config_, config.path));
    dropout_ = register_module("dropout", torch::nn::Dropout(config_.dropout));
    classifier_ = register_module("classifier", AdaptableLinear(config_.dim, config.num_labels()));
    initialize(every_parameter);
  }

  void initialize(const ParameterSelection& selected) override {
    init_weights_like_transformers(*this, config_.initializer_range, selected);
    backbone_->after_initialization(selected);
  }

  ModelOutput forward(const data::Batch& inputs) override {
    ModelOutput out;
    out.last_hidden_state = backbone_(inputs);                  // [B, L, D]
    out.logits = classifier_(dropout_(out.last_hidden_state));  // [B, L, C]
    if (inputs.labels.defined()) out.loss = labelled_cross_entropy(out.logits, inputs.labels);
    return out;
  }

  void set_activation_recomputation(bool enabled) override { backbone_->set_activation_recomputation(enabled); }

 private:
  DistilBertConfig config_;
  DistilBertBackbone backbone_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  AdaptableLinear classifier_{nullptr};
};

}  // namespace

std::shared_ptr<TaskModel> build_distilbert_token_classifier(const ModelConfig& config) {
  return std::make_shared<DistilBertTokenClassifier>(config);
}

}  // namespace hft::model
