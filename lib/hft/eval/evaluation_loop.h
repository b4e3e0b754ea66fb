// The evaluation / prediction loop: batches through the model in eval mode without gradients,
// the loss averaged over rows as the Trainer averages it, metrics from running statistics, and
// optionally every row's logits for prediction output.
#pragma once

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hft/distributed/process_group.h"         // Group
#include "hft/model/sequence_classifier.h"  // SequenceClassifier, ModelInputs

namespace hft::eval {

struct EvalOptions {
  std::string prefix = "eval";            // metric names become eval_accuracy, test_loss, ...
  std::vector<std::string> metric_names;  // accuracy, f1, pearson, ...
  int64_t num_labels = 2;
  bool regression = false;
  bool keep_logits = false;               // prediction: return every row's logits
};

struct EvalResult {
  nlohmann::json metrics;      // {"eval_loss": ..., "eval_accuracy": ..., "eval_runtime": ...}
  torch::Tensor logits;        // [rows, C] in batch order, when keep_logits
  int64_t rows = 0;
};

// `next_batch` yields the batches (labels may be undefined, or -1 for unlabelled rows); the
// loss and metrics cover the labelled rows, row by row, whatever the batch size. Data parallel:
// each rank of `group` evaluates its share, and the statistics are combined over the ranks.
EvalResult evaluate(model::SequenceClassifier& model, const std::function<std::optional<model::ModelInputs>()>& next_batch,
                    const EvalOptions& options, distributed::Group& group);

}  // namespace hft::eval
