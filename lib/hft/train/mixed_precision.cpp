#include "hft/train/mixed_precision.h"

#include <ATen/Context.h>
#include <ATen/autocast_mode.h>

namespace hft::train {

void apply_tf32(std::optional<bool> tf32, c10::DeviceType device) {
  if (!tf32 || device != c10::DeviceType::CUDA) return;
  const at::Float32Precision precision = *tf32 ? at::Float32Precision::TF32 : at::Float32Precision::IEEE;
  for (const at::Float32Op op : {at::Float32Op::MATMUL, at::Float32Op::CONV, at::Float32Op::RNN})
    at::globalContext().setFloat32Precision(at::Float32Backend::CUDA, op, precision);
}

std::optional<c10::ScalarType> autocast_type(bool bf16, bool fp16) {
  if (bf16) return c10::kBFloat16;
  if (fp16) return c10::kHalf;
  return std::nullopt;
}

AutocastScope::AutocastScope(std::optional<c10::ScalarType> type, c10::DeviceType device)
    : enabled_(type.has_value()), device_(device) {
  if (!enabled_) return;
  was_enabled_ = at::autocast::is_autocast_enabled(device_);
  previous_type_ = at::autocast::get_autocast_dtype(device_);
  at::autocast::set_autocast_dtype(device_, *type);
  at::autocast::set_autocast_enabled(device_, true);
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!enabled_) return;
  // Leaving the outermost scope drops the low-precision copies of the weights cached for this pass.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  at::autocast::set_autocast_enabled(device_, was_enabled_);
  at::autocast::set_autocast_dtype(device_, previous_type_);
}

}  // namespace hft::train
