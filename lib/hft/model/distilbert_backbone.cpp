#include "hft/model/distilbert_backbone.h"

#include "hft/model/bert_layers.h"  // attention_mask_for_sdpa

namespace hft::model {

DistilBertBackboneImpl::DistilBertBackboneImpl(const DistilBertConfig& config, const std::string& config_path)
    : sinusoidal_positions_(config.sinusoidal_pos_embds) {
  embeddings = register_module("embeddings", DistilBertEmbeddings(config));
  transformer = register_module("transformer", DistilBertTransformer(config, config_path));
}

torch::Tensor DistilBertBackboneImpl::forward(const data::Batch& inputs) {
  const torch::Tensor padding = data::padding_mask(inputs);
  const torch::Tensor mask = padding.defined() ? attention_mask_for_sdpa(padding) : torch::Tensor();
  const std::optional<TokenPacking> packing = packing_for_training(padding, is_training());
  const torch::Tensor hidden = embeddings(inputs.input_ids);                     // [B, L, D]
  return padded(transformer(as_rows(hidden, packing), mask, packing), packing);  // [B, L, D]
}

void DistilBertBackboneImpl::after_initialization(const ParameterSelection& selected) {
  if (sinusoidal_positions_ && selected("distilbert.embeddings.position_embeddings.weight"))
    embeddings->fill_sinusoidal_positions();
}

}  // namespace hft::model
