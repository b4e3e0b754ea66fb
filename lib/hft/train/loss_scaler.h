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
  // Steps the optimizer unless the gradients overflowed (one read of the flag, as GradScaler's
  // step does), then updates the scale; returns whether the optimizer stepped.
  bool step(torch::optim::Optimizer& optimizer);

  // The scale and the count of clean steps since it last changed: what a checkpoint keeps.
  double current_scale() const;
  int64_t growth_tracker() const;
  void restore(double scale, int64_t growth_tracker);

 private:
  bool enabled_;
  LossScalerOptions options_;
  torch::Tensor scale_;           // [] float32, on the training device
  torch::Tensor growth_tracker_;  // [] int32
  torch::Tensor found_inf_;       // [] float32: 1 when the last unscaled gradients held inf/NaN
};

}  // namespace hft::train
