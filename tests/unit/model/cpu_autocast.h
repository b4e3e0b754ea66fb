// CPU autocast to a type (none: off) while alive, as the training loop's AutocastScope sets it around a
// forward pass.
#pragma once

#include <ATen/autocast_mode.h>

#include <optional>

namespace hft::testing {

class CpuAutocast {
 public:
  explicit CpuAutocast(std::optional<c10::ScalarType> type) : on_(type.has_value()) {
    if (!on_) return;
    at::autocast::set_autocast_dtype(c10::DeviceType::CPU, *type);
    at::autocast::set_autocast_enabled(c10::DeviceType::CPU, true);
    at::autocast::increment_nesting();
  }
  ~CpuAutocast() {
    if (!on_) return;
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    at::autocast::set_autocast_enabled(c10::DeviceType::CPU, false);
  }

 private:
  bool on_;
};

}  // namespace hft::testing
