// What a task gives the evaluation loop: its metrics, accumulated batch by batch in bounded
// memory and summed over the ranks of a data-parallel run. The loop itself knows no task.
#pragma once

#include <nlohmann/json.hpp>

#include "hft/data/batch.h"                 // Batch
#include "hft/distributed/process_group.h"  // Group
#include "hft/model/task_model.h"           // TaskModel, ModelOutput

namespace hft::eval {

class MetricAccumulator {
 public:
  virtual ~MetricAccumulator() = default;
  // The model's output for one batch, its loss covering the rows (or tokens) the metrics count.
  virtual model::ModelOutput forward(model::TaskModel& model, const data::Batch& batch) { return model.forward(batch); }
  virtual void add(const data::Batch& batch, const model::ModelOutput& out) = 0;
  // Data parallel: each rank added its own rows; afterwards every rank holds the sums over all.
  virtual void sum_over_ranks(distributed::Group& group) = 0;
  // {"loss": ..., "accuracy": ...}, names without the split's prefix; empty when nothing was labelled.
  virtual nlohmann::json metrics() const = 0;
  // Single-label classification: {"labels", "confusion_matrix" (rows: true label, columns:
  // predicted), "per_class": [{"label", "precision", "recall", "f1", "support"}]}, what a report
  // shows of the final evaluation. null for other tasks.
  virtual nlohmann::json classification_report() const { return nullptr; }
};

}  // namespace hft::eval
