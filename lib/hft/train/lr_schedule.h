// Learning-rate schedules with transformers.get_scheduler's formulas: the learning rate of
// optimizer step k is learning_rate x multiplier(k) (LambdaLR's rule), k counted from 0.
#pragma once

#include <cstdint>

#include "hft/config/recipe.h"  // SchedulerType, SchedulerKwargs, TrainingArguments

namespace hft::train {

struct LrSchedule {
  config::SchedulerType type = config::SchedulerType::kLinear;
  double base_lr = 5e-5;
  int64_t warmup_steps = 0;
  int64_t total_steps = 0;
  config::SchedulerKwargs kwargs;

  double multiplier(int64_t step) const;
  double learning_rate(int64_t step) const { return base_lr * multiplier(step); }
};

LrSchedule make_lr_schedule(const config::TrainingArguments& args, int64_t warmup_steps, int64_t total_steps);

}  // namespace hft::train
