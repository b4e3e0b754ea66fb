// DistilBertForSequenceClassification and DistilBertForMultipleChoice: embeddings and transformer
// blocks under `distilbert`, then a head on the first token: pre_classifier, ReLU, dropout
// (seq_classif_dropout), classifier. DistilBertForTokenClassification: distilbert_token_classifier.cpp.
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "hft/model/architecture.h"
#include "hft/model/bert_layers.h"           // init_weights_like_transformers
#include "hft/model/classification_loss.h"  // classification_loss
#include "hft/model/labelled_cross_entropy.h"  // labelled_cross_entropy
#include "hft/model/distilbert_backbone.h"  // DistilBertBackbone
#include "hft/model/multiple_choice.h"      // flatten_choices, scores_per_choice
#include "hft/model/lora_layer.h"  // AdaptableLinear

namespace hft::model {
namespace {

namespace nn = torch::nn;

// The sequence classifier, and the multiple-choice model (one score per choice: a classifier of
// width 1, run on the choices as rows, inputs [B, N, L] -> logits [B, N]).
class DistilBertClassifier : public TaskModel {
 public:
  DistilBertClassifier(const ModelConfig& config, bool choices)
      : config_(read_distilbert_config(config)), problem_type_(config.problem_type), choices_(choices) {
    backbone_ = register_module("distilbert", DistilBertBackbone(config_, config.path));
    pre_classifier_ = register_module("pre_classifier", AdaptableLinear(config_.dim, config_.dim));
    classifier_ = register_module("classifier", AdaptableLinear(config_.dim, choices ? 1 : config.num_labels()));
    dropout_ = register_module("dropout", nn::Dropout(config_.seq_classif_dropout));
    initialize(every_parameter);
  }

  void initialize(const ParameterSelection& selected) override {
    init_weights_like_transformers(*this, config_.initializer_range, selected);
    backbone_->after_initialization(selected);  // the draw above still happened and moved the generator
  }

  ModelOutput forward(const data::Batch& inputs) override {
    ModelOutput out;
    out.last_hidden_state = backbone_(choices_ ? flatten_choices(inputs) : inputs);  // [B, L, D] ([B*N, L, D])
    const torch::Tensor first = out.last_hidden_state.select(1, 0);                   // [B, D]
    out.logits = classifier_(dropout_(torch::relu(pre_classifier_(first))));          // [B, C] ([B*N, 1])
    if (choices_) out.logits = scores_per_choice(out.logits, inputs);                 // [B, N]
    if (!inputs.labels.defined()) return out;
    out.loss = choices_ ? labelled_cross_entropy(out.logits, inputs.labels)
                        : classification_loss(out.logits, inputs.labels, problem_type_);
    return out;
  }

  void set_activation_recomputation(bool enabled) override { backbone_->set_activation_recomputation(enabled); }

 private:
  DistilBertConfig config_;
  std::optional<std::string> problem_type_;
  bool choices_;
  DistilBertBackbone backbone_{nullptr};
  AdaptableLinear pre_classifier_{nullptr}, classifier_{nullptr};
  nn::Dropout dropout_{nullptr};
};

ConfigSizes distilbert_sizes(const ModelConfig& config) {
  const DistilBertConfig c = read_distilbert_config(config);
  const SizeKey vocab{"vocab_size", c.vocab_size}, dim{"dim", c.dim}, positions{"max_position_embeddings", c.max_position_embeddings};
  ConfigSizes sizes;
  sizes.tensors = {{"embeddings.word_embeddings.weight", {vocab, dim}},
                   {"embeddings.position_embeddings.weight", {positions, dim}},
                   {"transformer.layer.0.attention.q_lin.weight", {dim, dim}},
                   {"transformer.layer.0.ffn.lin1.weight", {{"hidden_dim", c.hidden_dim}, dim}}};
  sizes.layers = {{"n_layers", c.n_layers}, "transformer.layer"};
  sizes.inputs = {vocab, PositionLimit{positions, c.max_position_embeddings}, std::nullopt};  // no token types
  return sizes;
}

}  // namespace

Architecture distilbert_architecture() {
  auto build = [](const ModelConfig& config, Head head) -> std::shared_ptr<TaskModel> {
    if (head == Head::kTokenClassification) return build_distilbert_token_classifier(config);
    return std::make_shared<DistilBertClassifier>(config, head == Head::kMultipleChoice);
  };
  return {"distilbert", "DistilBert", "distilbert", build, distilbert_sizes};
}

}  // namespace hft::model
