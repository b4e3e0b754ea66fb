// Autocast around forward passes, as the Trainer (through accelerate) runs them when bf16 or
// fp16 is set: matrix products in bfloat16 / float16, parameters, gradients and optimizer state
// kept in fp32. (fp16's loss scaling is LossScaler, loss_scaler.h.)
#pragma once

#include <c10/core/DeviceType.h>
#include <c10/core/ScalarType.h>

#include <optional>

namespace hft::train {

// tf32 on a CUDA run: TF32 (true) or IEEE fp32 (false) for CUDA matmuls and cuDNN convolutions
// and RNNs, as transformers' enable_tf32 sets them (LibTorch's fp32-precision settings, not the
// legacy allow_tf32 flags, which may not be mixed with them); unset keeps LibTorch's defaults. On
// the CPU it changes nothing (loading the recipe warns).
void apply_tf32(std::optional<bool> tf32, c10::DeviceType device);

// The autocast type the recipe asks for: bfloat16 for bf16, float16 for fp16, none otherwise.
std::optional<c10::ScalarType> autocast_type(bool bf16, bool fp16);

// Turns autocast to `type` on for `device` while alive (none: does nothing), and restores the
// previous state.
class AutocastScope {
 public:
  AutocastScope(std::optional<c10::ScalarType> type, c10::DeviceType device);
  AutocastScope(bool bf16, c10::DeviceType device) : AutocastScope(autocast_type(bf16, false), device) {}
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool enabled_;
  c10::DeviceType device_;
  bool was_enabled_ = false;
  c10::ScalarType previous_type_ = c10::kBFloat16;
};

}  // namespace hft::train
