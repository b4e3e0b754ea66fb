// report_to, asked one way everywhere: whether the recipe lists a reporter by name. ("all" is
// tensorboard, and mlflow when MLFLOW_TRACKING_URI is set: callers decide what it adds.)
#pragma once

#include <algorithm>
#include <string_view>

#include "hft/config/recipe.h"  // TrainingArguments

namespace hft::config {

inline bool report_to_names(const TrainingArguments& t, std::string_view reporter) {
  return std::find(t.report_to.begin(), t.report_to.end(), reporter) != t.report_to.end();
}

}  // namespace hft::config
