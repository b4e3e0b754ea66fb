#include "hft/task/label_smoothing.h"

#include <torch/nn/functional/loss.h>

namespace hft::task {

torch::Tensor smoothed_loss(const model::ModelOutput& out, const data::Batch& batch, double labels_in_step,
                            double label_smoothing) {
  if (label_smoothing == 0 || batch.labels.scalar_type() != torch::kInt64) return out.loss;
  const auto options =  // ignore_index -100, torch's default, as the LabelSmoother's
      torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(label_smoothing).reduction(torch::kSum);
  const torch::Tensor logits = out.logits.view({-1, out.logits.size(-1)}).to(torch::kFloat32);
  return torch::nn::functional::cross_entropy(logits, batch.labels.view({-1}), options) / labels_in_step;
}

}  // namespace hft::task
