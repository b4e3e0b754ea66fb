// The evaluation of a causal language model: eval_loss as the Trainer averages it, and
// run_clm.py's perplexity, exp(eval_loss).
#pragma once

#include <memory>

#include "hft/eval/metric_accumulator.h"  // MetricAccumulator

namespace hft::task {

std::unique_ptr<eval::MetricAccumulator> language_model_accumulator();

}  // namespace hft::task
