#include "hft/model/bert_family_classifier.h"

#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "hft/model/classification_loss.h"
#include "hft/model/lora_layer.h"  // AdaptableLinear

namespace hft::model {

// RoBERTa's positions count from pad_token_id + 1, and the position table's padding row is
// pad_token_id: it must be inside the table.
BertFamilyConfig read_bert_family_spec_config(const ModelConfig& config, const BertFamilySpec& spec) {
  const BertFamilyConfig c = read_bert_family_config(config, spec.defaults);
  if (spec.backbone.roberta_positions)
    require_id_below(config, "pad_token_id", c.pad_token_id, "max_position_embeddings", c.max_position_embeddings);
  return c;
}

namespace {

class BertFamilyClassifier : public TaskModel {
 public:
  BertFamilyClassifier(const ModelConfig& config, const BertFamilySpec& spec)
      : config_(read_bert_family_spec_config(config, spec)), problem_type_(config.problem_type) {
    backbone_ = register_module(spec.backbone_name, BertBackbone(config_, spec.backbone, config.path));
    const double dropout = config_.classifier_dropout.value_or(config_.hidden_dropout_prob);
    if (spec.head == BertFamilyHead::kPooledLinear) {
      dropout_ = register_module("dropout", torch::nn::Dropout(dropout));
      linear_head_ = register_module("classifier", AdaptableLinear(config_.hidden_size, config.num_labels()));
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

  ModelOutput forward(const data::Batch& inputs) override {
    const BackboneOutput backbone = backbone_(inputs);
    ModelOutput out;
    out.last_hidden_state = backbone.last_hidden_state;
    out.logits = linear_head_ ? linear_head_(dropout_(backbone.pooled)) : first_token_head_(backbone.last_hidden_state);
    if (inputs.labels.defined()) out.loss = classification_loss(out.logits, inputs.labels, problem_type_);
    return out;
  }

  void set_activation_recomputation(bool enabled) override { backbone_->set_activation_recomputation(enabled); }

 private:
  BertFamilyConfig config_;
  std::optional<std::string> problem_type_;
  BertBackbone backbone_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  AdaptableLinear linear_head_{nullptr};
  FirstTokenHead first_token_head_{nullptr};
};

}  // namespace

std::shared_ptr<TaskModel> build_bert_family_classifier(const ModelConfig& config, const BertFamilySpec& spec) {
  return std::make_shared<BertFamilyClassifier>(config, spec);
}

std::shared_ptr<TaskModel> build_bert_family(const ModelConfig& config, const BertFamilySpec& spec, Head head) {
  switch (head) {
    case Head::kTokenClassification: return build_bert_family_token_classifier(config, spec);
    case Head::kMultipleChoice: return build_bert_family_multiple_choice(config, spec);
    case Head::kSequenceClassification:
    case Head::kCausalLM: break;  // an encoder has none: from_pretrained refuses it before building
  }
  return build_bert_family_classifier(config, spec);
}

ConfigSizes bert_family_sizes(const ModelConfig& config, const BertFamilySpec& spec) {
  const BertFamilyConfig c = read_bert_family_spec_config(config, spec);
  const SizeKey vocab{"vocab_size", c.vocab_size}, hidden{"hidden_size", c.hidden_size},
      positions{"max_position_embeddings", c.max_position_embeddings}, types{"type_vocab_size", c.type_vocab_size};
  // ELECTRA's embeddings may be narrower than the encoder; then embeddings_project widens them.
  const SizeKey width = c.embedding_size == c.hidden_size ? hidden : SizeKey{"embedding_size", c.embedding_size};
  ConfigSizes sizes;
  sizes.tensors = {{"embeddings.word_embeddings.weight", {vocab, width}},
                   {"embeddings.position_embeddings.weight", {positions, width}},
                   {"embeddings.token_type_embeddings.weight", {types, width}},
                   {"encoder.layer.0.attention.self.query.weight", {hidden, hidden}},
                   {"encoder.layer.0.intermediate.dense.weight", {{"intermediate_size", c.intermediate_size}, hidden}}};
  if (c.embedding_size != c.hidden_size) sizes.tensors.push_back({"embeddings_project.weight", {hidden, width}});
  sizes.layers = {{"num_hidden_layers", c.num_hidden_layers}, "encoder.layer"};
  // fairseq positions: a row of n tokens uses pad_token_id + 1 .. pad_token_id + n.
  const int64_t max_tokens = spec.backbone.roberta_positions ? c.max_position_embeddings - c.pad_token_id - 1
                                                             : c.max_position_embeddings;
  sizes.inputs = {vocab, PositionLimit{positions, max_tokens}, types};
  return sizes;
}

}  // namespace hft::model
