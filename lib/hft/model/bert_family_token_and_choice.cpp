// The BERT family's token-classification and multiple-choice models, one class since they differ
// only in what reaches the linear `classifier`:
// - *ForTokenClassification: the backbone without a pooler, dropout (classifier_dropout, else
//   hidden_dropout_prob) and classifier on every token: logits [B, L, C].
// - *ForMultipleChoice: the choices [B, N, L] as rows of their own; each row's score from the
//   classifier of width 1 on the pooler's output after dropout (BERT: classifier_dropout, else
//   hidden_dropout_prob; RoBERTa: hidden_dropout_prob; both keep their pooler) or on ELECTRA's
//   sequence_summary: logits [B, N].
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "hft/model/bert_family_classifier.h"
#include "hft/model/electra_sequence_summary.h"  // SequenceSummary
#include "hft/model/labelled_cross_entropy.h"     // labelled_cross_entropy
#include "hft/model/multiple_choice.h"           // flatten_choices, scores_per_choice
#include "hft/model/lora_layer.h"  // AdaptableLinear

namespace hft::model {
namespace {

class BertFamilyTokenOrChoiceModel : public TaskModel {
 public:
  BertFamilyTokenOrChoiceModel(const ModelConfig& config, const BertFamilySpec& spec, bool choices)
      : config_(read_bert_family_spec_config(config, spec)), choices_(choices) {
    const bool summary = choices && spec.choice_head == BertFamilyChoiceHead::kSequenceSummary;
    BackboneOptions options = spec.backbone;
    options.pooler = choices && !summary;  // transformers' token classifiers: add_pooling_layer=False
    backbone_ = register_module(spec.backbone_name, BertBackbone(config_, options, config.path));
    if (summary) {
      summary_ = register_module("sequence_summary", SequenceSummary(config, config_.hidden_size));
    } else {
      const bool hidden_dropout = choices && spec.choice_head == BertFamilyChoiceHead::kPooledHiddenDropout;
      const double p = hidden_dropout ? config_.hidden_dropout_prob
                                      : config_.classifier_dropout.value_or(config_.hidden_dropout_prob);
      dropout_ = register_module("dropout", torch::nn::Dropout(p));
    }
    classifier_ = register_module("classifier", AdaptableLinear(config_.hidden_size, choices ? 1 : config.num_labels()));
    initialize(every_parameter);
  }

  void initialize(const ParameterSelection& selected) override {
    init_weights_like_transformers(*this, config_.initializer_range, selected);
  }

  // last_hidden_state: [B, L, H], or [B*N, L, H] for choices (a row per choice).
  ModelOutput forward(const data::Batch& inputs) override {
    const BackboneOutput backbone = backbone_(choices_ ? flatten_choices(inputs) : inputs);
    ModelOutput out;
    out.last_hidden_state = backbone.last_hidden_state;
    if (!choices_) {
      out.logits = classifier_(dropout_(backbone.last_hidden_state));  // [B, L, C]
    } else {
      const torch::Tensor summary = summary_ ? summary_(backbone.last_hidden_state) : dropout_(backbone.pooled);
      out.logits = scores_per_choice(classifier_(summary), inputs);  // [B*N, H] -> [B*N, 1] -> [B, N]
    }
    if (inputs.labels.defined()) out.loss = labelled_cross_entropy(out.logits, inputs.labels);
    return out;
  }

  void set_activation_recomputation(bool enabled) override { backbone_->set_activation_recomputation(enabled); }

 private:
  BertFamilyConfig config_;
  bool choices_;
  BertBackbone backbone_{nullptr};
  SequenceSummary summary_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  AdaptableLinear classifier_{nullptr};
};

}  // namespace

std::shared_ptr<TaskModel> build_bert_family_token_classifier(const ModelConfig& config, const BertFamilySpec& spec) {
  return std::make_shared<BertFamilyTokenOrChoiceModel>(config, spec, /*choices=*/false);
}

std::shared_ptr<TaskModel> build_bert_family_multiple_choice(const ModelConfig& config, const BertFamilySpec& spec) {
  return std::make_shared<BertFamilyTokenOrChoiceModel>(config, spec, /*choices=*/true);
}

}  // namespace hft::model
