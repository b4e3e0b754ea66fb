// The best evaluation so far and early stopping: the Trainer's _determine_best_metric and
// EarlyStoppingCallback, as functions of the metrics of one evaluation.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "hft/config/recipe.h"        // TrainingArguments, EarlyStoppingArguments
#include "hft/train/trainer_state.h"  // TrainerState

namespace hft::train {

// "eval_accuracy" for metric_for_best_model "accuracy"; nullopt when none is set.
std::optional<std::string> best_metric_key(const config::TrainingArguments& args);

// Updates state.best_metric / best_global_step when `metrics` beat the best so far; true then.
bool update_best_metric(TrainerState& state, const config::TrainingArguments& args, const nlohmann::json& metrics);

class EarlyStopping {
 public:
  EarlyStopping(const config::EarlyStoppingArguments& options, const config::TrainingArguments& args);
  // Called with each evaluation's metrics before the best metric is updated (the callback's
  // order); true when training should stop.
  bool should_stop(const TrainerState& state, const nlohmann::json& metrics);
  // The patience counter travels in trainer_state.json as the Trainer's callback stores it.
  void save_to(TrainerState& state) const;
  void restore_from(const TrainerState& state);

 private:
  config::EarlyStoppingArguments options_;
  const config::TrainingArguments& args_;
  int64_t evaluations_without_improvement_ = 0;
};

}  // namespace hft::train
