#include "hft/train/mixed_precision.h"

#include <ATen/autocast_mode.h>

namespace hft::train {

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
