// The training loss with label_smoothing_factor, as the Trainer's LabelSmoother computes it:
// cross-entropy with label smoothing over the labels that are not -100, summed and divided by
// the labels of the whole optimizer step (num_items_in_batch). Float labels (regression,
// multi-label) keep the model's loss, as the Trainer's smoother applies to class ids only.
#pragma once

#include <torch/types.h>

#include <cstdint>

#include "hft/data/batch.h"        // Batch
#include "hft/model/task_model.h"  // ModelOutput

namespace hft::task {

// `labels_in_step`: the label_count of every micro-batch of the step together. Without smoothing, the
// model's own loss.
torch::Tensor smoothed_loss(const model::ModelOutput& out, const data::Batch& batch, double labels_in_step,
                            double label_smoothing);

}  // namespace hft::task
