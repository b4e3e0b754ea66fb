// Text classification's evaluation statistics: the loss averaged over the labelled rows, and a
// confusion matrix (classes) or the (prediction, target) pairs (regression) for the GLUE metric
// sets, summed over ranks. Rows labelled -1 are unlabelled and count nowhere.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hft/eval/metric_accumulator.h"  // MetricAccumulator

namespace hft::task {

struct ClassificationMetricOptions {
  std::vector<std::string> metric_names;  // accuracy, f1, pearson, ... (config::metric_names)
  int64_t num_labels = 2;
  bool regression = false;
  std::vector<std::string> label_names;  // [num_labels]: the classification report's rows
};

std::unique_ptr<eval::MetricAccumulator> classification_accumulator(const ClassificationMetricOptions& options);

}  // namespace hft::task
