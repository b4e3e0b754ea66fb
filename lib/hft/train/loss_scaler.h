// fp16 training's dynamic loss scaling, as torch.amp.GradScaler does it: the loss is multiplied
// by a scale before backward so small fp16 gradients do not flush to zero; before clipping, the
// gradients are divided back and checked for inf/NaN in one fused op; a step whose gradients
// overflowed is skipped and the scale halves, and after growth_interval clean steps it doubles.
// Disabled (bf16 or fp32 training) every call is a no-op.
#pragma once

#include <torch/optim/optimizer.h>
#include <torch/types.h>

#include <vector>

namespace hft::train {

struct LossScalerOptions {  // torch.amp.GradScaler's defaults
  double init_scale = 65536.0;
  double growth_factor = 2.0;
  double backoff_factor = 0.5;
  int64_t growth_interval = 2000;
};

class LossScaler {
 public:
  LossScaler(bool enabled, const torch::Device& device, LossScalerOptions options = {});

  bool enabled() const { return enabled_; }
  torch::Tensor scale(const torch::Tensor& loss) const { return enabled_ ? loss * scale_ : loss; }
  // Divides the gradients of `parameters` by the scale and notes whether any is not finite.
  void unscale(const std::vector<torch::Tensor>& parameters);
  // Steps the optimizer at `learning_rate` ([] float32 on the device) unless the gradients
  // overflowed, then updates the scale and the count of skipped steps. hft's fused AdamW takes
  // the overflow flag itself, as torch's fused optimizers do under GradScaler, so nothing is read
  // back; any other optimizer reads the flag first, as GradScaler.step does for them.
  void step(torch::optim::Optimizer& optimizer, const torch::Tensor& learning_rate);
  // Steps skipped for overflowing gradients so far: [] int64 on the device. The learning-rate
  // schedule does not advance on them (the Trainer steps its scheduler only after a real update).
  const torch::Tensor& skipped_steps() const { return skipped_steps_; }

  // The scale, the count of clean steps since it last changed and the skipped steps: what a
  // checkpoint keeps (read back from the device).
  double current_scale() const;
  int64_t growth_tracker() const;
  int64_t skipped_step_count() const;
  void restore(double scale, int64_t growth_tracker, int64_t skipped_steps);

 private:
  bool enabled_;
  LossScalerOptions options_;
  torch::Tensor scale_;           // [] float32, on the training device
  torch::Tensor growth_tracker_;  // [] int32
  torch::Tensor found_inf_;       // [] float32: 1 when the last unscaled gradients held inf/NaN
  torch::Tensor skipped_steps_;   // [] int64
};

}  // namespace hft::train
