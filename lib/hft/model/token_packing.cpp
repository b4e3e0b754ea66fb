#include "hft/model/token_packing.h"

#include "hft/model/dropout.h"  // dropout_noise

namespace hft::model {

TokenPacking::TokenPacking(const torch::Tensor& attention_mask)
    : rows_(attention_mask.reshape({-1}).nonzero().squeeze(1)),
      batch_(attention_mask.size(0)),
      length_(attention_mask.size(1)) {}

torch::Tensor TokenPacking::pack(const torch::Tensor& padded) const {
  return padded.reshape({batch_ * length_, padded.size(-1)}).index_select(0, rows_);
}

torch::Tensor TokenPacking::unpack(const torch::Tensor& packed) const {
  const int64_t width = packed.size(-1);
  return torch::zeros({batch_ * length_, width}, packed.options()).index_copy(0, rows_, packed).view({batch_, length_, width});
}

torch::Tensor TokenPacking::dropout(const torch::Tensor& packed, double probability, bool training) const {
  if (!training || probability == 0.0) return packed;
  if (probability == 1.0) return packed * torch::zeros({}, packed.options());
  return packed * pack(dropout_noise({batch_, length_, packed.size(-1)}, probability, packed.options()));
}

std::optional<TokenPacking> packing_for_training(const torch::Tensor& attention_mask, bool training) {
  if (!training || !attention_mask.defined() || !attention_mask.device().is_cpu()) return std::nullopt;
  if (attention_mask.all().item<bool>()) return std::nullopt;
  // The heads read position 0: with padding on the left it would be a padding position, whose
  // hidden state packing does not compute.
  if (!attention_mask.select(1, 0).all().item<bool>()) return std::nullopt;
  return TokenPacking(attention_mask);
}

torch::Tensor padded(const torch::Tensor& x, const std::optional<TokenPacking>& packing) {
  return packing ? packing->unpack(x) : x;
}

torch::Tensor as_rows(const torch::Tensor& x, const std::optional<TokenPacking>& packing) {
  return packing ? packing->pack(x) : x;
}

torch::Tensor hidden_dropout(const torch::Tensor& x, double probability, bool training,
                             const std::optional<TokenPacking>& packing) {
  return packing ? packing->dropout(x, probability, training) : model::dropout(x, probability, training);
}

}  // namespace hft::model
