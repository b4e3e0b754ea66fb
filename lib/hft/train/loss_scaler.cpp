#include "hft/train/loss_scaler.h"

#include <ATen/ops/_amp_foreach_non_finite_check_and_unscale.h>
#include <ATen/ops/_amp_update_scale.h>

#include "hft/train/fused_adamw.h"  // FusedAdamW
#include "hft/train/optimizer.h"    // set_learning_rate

namespace hft::train {

LossScaler::LossScaler(bool enabled, const torch::Device& device, LossScalerOptions options)
    : enabled_(enabled), options_(options) {
  const auto on_device = torch::TensorOptions().device(device);
  scale_ = torch::full({}, options.init_scale, on_device.dtype(torch::kFloat32));
  growth_tracker_ = torch::zeros({}, on_device.dtype(torch::kInt32));
  found_inf_ = torch::zeros({}, on_device.dtype(torch::kFloat32));
  skipped_steps_ = torch::zeros({}, on_device.dtype(torch::kInt64));
}

void LossScaler::unscale(const std::vector<torch::Tensor>& parameters) {
  if (!enabled_) return;
  std::vector<torch::Tensor> gradients;
  for (const auto& p : parameters)
    if (p.grad().defined()) gradients.push_back(p.grad());
  found_inf_.zero_();
  at::_amp_foreach_non_finite_check_and_unscale_(gradients, found_inf_, scale_.to(torch::kFloat64).reciprocal().to(torch::kFloat32));
}

void LossScaler::step(torch::optim::Optimizer& optimizer, const torch::Tensor& learning_rate) {
  if (!enabled_) {
    set_learning_rate(optimizer, learning_rate.item<double>());
    optimizer.step();
    return;
  }
  if (auto* fused = dynamic_cast<FusedAdamW*>(&optimizer)) {
    fused->step(learning_rate, found_inf_);
  } else if (found_inf_.item<float>() == 0.0f) {
    set_learning_rate(optimizer, learning_rate.item<double>());
    optimizer.step();
  }
  skipped_steps_.add_(found_inf_.to(torch::kInt64));
  at::_amp_update_scale_(scale_, growth_tracker_, found_inf_, options_.growth_factor, options_.backoff_factor,
                         options_.growth_interval);
}

double LossScaler::current_scale() const { return scale_.item<double>(); }
int64_t LossScaler::growth_tracker() const { return growth_tracker_.item<int64_t>(); }
int64_t LossScaler::skipped_step_count() const { return skipped_steps_.item<int64_t>(); }

void LossScaler::restore(double scale, int64_t growth_tracker, int64_t skipped_steps) {
  scale_.fill_(scale);
  growth_tracker_.fill_(growth_tracker);
  skipped_steps_.fill_(skipped_steps);
}

}  // namespace hft::train
