// bf16 autocast around forward passes, as the Trainer (through accelerate) runs them when bf16
// is set: matrix products in bfloat16, parameters, gradients and optimizer state kept in fp32.
#pragma once

#include <c10/core/DeviceType.h>

namespace hft::train {

// Turns autocast on for `device` while alive (when `enabled`), and restores the previous state.
class AutocastScope {
 public:
  AutocastScope(bool enabled, c10::DeviceType device);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool enabled_;
  c10::DeviceType device_;
  bool was_enabled_ = false;
};

}  // namespace hft::train
