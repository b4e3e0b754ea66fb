#include "hft/model/bert_backbone.h"

namespace hft::model {

namespace nn = torch::nn;

BertBackboneImpl::BertBackboneImpl(const BertFamilyConfig& c, BackboneOptions options, const std::string& config_path)
    : options_(options), pad_token_id_(c.pad_token_id) {
  std::optional<int64_t> position_padding;
  if (options.roberta_positions) position_padding = c.pad_token_id;
  embeddings = register_module("embeddings", BertEmbeddings(c, position_padding));
  if (c.embedding_size != c.hidden_size)
    embeddings_project = register_module("embeddings_project", AdaptableLinear(c.embedding_size, c.hidden_size));
  encoder = register_module("encoder", BertEncoder(c, config_path));
  if (options.pooler) {
    auto pooler = register_module("pooler", std::make_shared<nn::Module>());
    pooler_dense = pooler->register_module("dense", AdaptableLinear(c.hidden_size, c.hidden_size));
  }
}

torch::Tensor BertBackboneImpl::position_ids(const torch::Tensor& input_ids) const {
  if (options_.roberta_positions) {
    // fairseq's make_positions: pad_token_id + 1, + 2, ... over real tokens; padding keeps pad_token_id.
    const torch::Tensor mask = input_ids.ne(pad_token_id_).to(torch::kInt64);
    return torch::cumsum(mask, 1) * mask + pad_token_id_;
  }
  return torch::arange(input_ids.size(1), input_ids.options()).unsqueeze(0).expand_as(input_ids);  // [B, L]
}

BackboneOutput BertBackboneImpl::forward(const data::Batch& inputs) {
  torch::Tensor hidden = embeddings(inputs.input_ids, inputs.token_type_ids, position_ids(inputs.input_ids));
  if (embeddings_project) hidden = embeddings_project(hidden);
  const torch::Tensor padding = data::padding_mask(inputs);
  const torch::Tensor mask = padding.defined() ? attention_mask_for_sdpa(padding) : torch::Tensor();
  BackboneOutput out;
  // In training on the CPU, the layers skip the padding; last_hidden_state then holds zeros there.
  const std::optional<TokenPacking> packing = packing_for_training(padding, is_training());
  out.last_hidden_state = padded(encoder(as_rows(hidden, packing), mask, packing), packing);
  if (pooler_dense) out.pooled = torch::tanh(pooler_dense(out.last_hidden_state.select(1, 0)));
  return out;
}

FirstTokenHeadImpl::FirstTokenHeadImpl(int64_t hidden_size, int64_t num_labels, double dropout_p, Activation activation)
    : activation_(std::move(activation)) {
  dense = register_module("dense", AdaptableLinear(hidden_size, hidden_size));
  dropout = register_module("dropout", nn::Dropout(dropout_p));
  out_proj = register_module("out_proj", AdaptableLinear(hidden_size, num_labels));
}

torch::Tensor FirstTokenHeadImpl::forward(const torch::Tensor& last_hidden_state) {
  const torch::Tensor first = last_hidden_state.select(1, 0);  // [B, H]: <s> / [CLS]
  return out_proj(dropout(activation_(dense(dropout(first)))));
}

}  // namespace hft::model
