// The Trainer's step arithmetic (Trainer.set_initial_training_values and
// TrainingArguments.get_warmup_steps): how many batches, optimizer steps and warmup steps a run
// takes, from the number of training rows.
#pragma once

#include <cstdint>

#include "hft/config/recipe.h"  // TrainingArguments

namespace hft::train {

struct StepPlan {
  int64_t train_rows = 0;            // rows after max_train_samples
  int64_t world_size = 1;            // data-parallel processes
  int64_t global_batch_size = 0;     // rows per optimizer step, all processes together
  int64_t batches_per_epoch = 0;     // micro-batches each process sees per epoch
  int64_t steps_per_epoch = 0;       // optimizer steps per epoch
  int64_t total_steps = 0;           // optimizer steps of the whole run
  int64_t epochs = 0;                // epochs the loop starts (the last may stop early)
  int64_t warmup_steps = 0;          // steps of linear warmup
};

StepPlan plan_steps(const config::TrainingArguments& args, int64_t train_rows, int64_t world_size = 1);

// A logging/eval/save interval given as steps (>= 1) or as a fraction of total steps (< 1).
int64_t interval_in_steps(double steps_or_ratio, int64_t total_steps);

}  // namespace hft::train
