// When to log, evaluate, save and stop: transformers' DefaultFlowCallback, as plain functions
// of the arguments and the state after a step or an epoch.
#pragma once

#include "hft/config/recipe.h"        // TrainingArguments
#include "hft/train/trainer_state.h"  // TrainerState

namespace hft::train {

struct FlowDecision {
  bool log = false;
  bool evaluate = false;
  bool save = false;
  bool stop = false;
};

FlowDecision after_step(const config::TrainingArguments& args, const TrainerState& state);
FlowDecision after_epoch(const config::TrainingArguments& args, const TrainerState& state);

}  // namespace hft::train
