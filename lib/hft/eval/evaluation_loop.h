// The evaluation / prediction loop: batches through the model in eval mode without gradients,
// the task's metrics accumulated batch by batch, and optionally every row's outputs for
// prediction. It knows no task: what a batch's labels mean is the MetricAccumulator's business.
#pragma once

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <functional>
#include <optional>
#include <string>

#include "hft/data/batch.h"                 // Batch
#include "hft/distributed/process_group.h"  // Group
#include "hft/eval/metric_accumulator.h"    // MetricAccumulator
#include "hft/model/task_model.h"           // TaskModel

namespace hft::eval {

struct EvalOptions {
  std::string prefix = "eval";  // metric names become eval_accuracy, test_loss, ...
  bool keep_outputs = false;    // prediction: return every row's logits
  int64_t output_width = 0;     // with keep_outputs: columns of a row's output (a rank without rows needs it)
  // With keep_outputs: a batch's rows as prediction keeps them, [B, output_width]; unset: the logits.
  std::function<torch::Tensor(const model::ModelOutput&, const data::Batch&)> row_outputs;
};

struct EvalResult {
  nlohmann::json metrics;  // {"eval_loss": ..., "eval_accuracy": ..., "eval_runtime": ...}
  nlohmann::json classification_report;  // MetricAccumulator::classification_report (null: none)
  torch::Tensor outputs;   // [rows, output_width] float32 in input order, when keep_outputs
  int64_t rows = 0;
};

using BatchSource = std::function<std::optional<data::Batch>()>;

// `next_batch` yields the batches (labels may be undefined); `metrics` sees each one. Data
// parallel: each rank of `group` evaluates its share, and the statistics are combined over the ranks.
EvalResult evaluate(model::TaskModel& model, const BatchSource& next_batch, MetricAccumulator& metrics,
                    const EvalOptions& options, distributed::Group& group);

}  // namespace hft::eval
