// Token classification's evaluation statistics: eval_loss as the Trainer averages it (each
// batch's loss weighted by its rows) and seqeval's counts (entity_counts.h) of the words' first
// pieces, the tokens labelled in the data: run_ner.py's compute_metrics in bounded memory,
// summed over ranks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hft/eval/metric_accumulator.h"  // MetricAccumulator

namespace hft::task {

struct TaggingMetricOptions {
  std::vector<std::string> labels;  // id2label
  bool entity_level = false;        // return_entity_level_metrics
};

std::unique_ptr<eval::MetricAccumulator> tagging_accumulator(const TaggingMetricOptions& options);

}  // namespace hft::task
