// DistilBertForSequenceClassification: embeddings and transformer blocks under `distilbert`, then
// a head on the first token: pre_classifier, ReLU, dropout (seq_classif_dropout), classifier.
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "hft/model/architecture.h"
#include "hft/model/bert_layers.h"           // attention_mask_for_sdpa, init_weights_like_transformers
#include "hft/model/classification_loss.h"  // classification_loss
#include "hft/model/distilbert_layers.h"    // DistilBertEmbeddings, DistilBertTransformer

namespace hft::model {
namespace {

namespace nn = torch::nn;

class DistilBertClassifier : public TaskModel {
 public:
  explicit DistilBertClassifier(const ModelConfig& config)
      : config_(read_distilbert_config(config)), problem_type_(config.problem_type) {
    auto backbone = register_module("distilbert", std::make_shared<nn::Module>());  // groups the two below
    embeddings_ = backbone->register_module("embeddings", DistilBertEmbeddings(config_));
    transformer_ = backbone->register_module("transformer", DistilBertTransformer(config_, config.path));
    pre_classifier_ = register_module("pre_classifier", nn::Linear(config_.dim, config_.dim));
    classifier_ = register_module("classifier", nn::Linear(config_.dim, config.num_labels()));
    dropout_ = register_module("dropout", nn::Dropout(config_.seq_classif_dropout));
    initialize(every_parameter);
  }

  void initialize(const ParameterSelection& selected) override {
    init_weights_like_transformers(*this, config_.initializer_range, selected);
    // After the normal draw, as transformers does: the draw still happens and moves the generator.
    if (config_.sinusoidal_pos_embds && selected("distilbert.embeddings.position_embeddings.weight"))
      embeddings_->fill_sinusoidal_positions();
  }

  ModelOutput forward(const data::Batch& inputs) override {
    const torch::Tensor padding = data::padding_mask(inputs);
    const torch::Tensor mask = padding.defined() ? attention_mask_for_sdpa(padding) : torch::Tensor();
    ModelOutput out;
    // In training on the CPU, the blocks skip the padding; last_hidden_state then holds zeros there.
    const std::optional<TokenPacking> packing = packing_for_training(padding, is_training());
    const torch::Tensor hidden = embeddings_(inputs.input_ids);                               // [B, L, D]
    out.last_hidden_state = padded(transformer_(as_rows(hidden, packing), mask, packing), packing);  // [B, L, D]
    const torch::Tensor first = out.last_hidden_state.select(1, 0);             // [B, D]
    out.logits = classifier_(dropout_(torch::relu(pre_classifier_(first))));
    if (inputs.labels.defined()) out.loss = classification_loss(out.logits, inputs.labels, problem_type_);
    return out;
  }

  void set_activation_recomputation(bool enabled) override { transformer_->set_activation_recomputation(enabled); }

 private:
  DistilBertConfig config_;
  std::optional<std::string> problem_type_;
  DistilBertEmbeddings embeddings_{nullptr};
  DistilBertTransformer transformer_{nullptr};
  nn::Linear pre_classifier_{nullptr}, classifier_{nullptr};
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
  return {"distilbert", "DistilBertForSequenceClassification", "distilbert",
          [](const ModelConfig& config) { return std::make_shared<DistilBertClassifier>(config); }, distilbert_sizes};
}

}  // namespace hft::model
