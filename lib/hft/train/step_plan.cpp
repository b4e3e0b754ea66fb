#include "hft/train/step_plan.h"

#include <algorithm>
#include <cmath>

namespace hft::train {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return a / b + (a % b > 0 ? 1 : 0); }

}  // namespace

StepPlan plan_steps(const config::TrainingArguments& args, int64_t train_rows, int64_t world_size) {
  StepPlan plan;
  plan.train_rows = train_rows;
  plan.world_size = world_size;
  plan.global_batch_size = args.per_device_train_batch_size * args.gradient_accumulation_steps * world_size;
  // DistributedSampler pads (or drops, with drop_last) so that every rank sees the same count.
  const int64_t rows_per_rank = args.dataloader_drop_last ? train_rows / world_size : ceil_div(train_rows, world_size);
  plan.batches_per_epoch = args.dataloader_drop_last ? rows_per_rank / args.per_device_train_batch_size
                                                     : ceil_div(rows_per_rank, args.per_device_train_batch_size);
  plan.steps_per_epoch = std::max<int64_t>(ceil_div(plan.batches_per_epoch, args.gradient_accumulation_steps), 1);
  if (args.max_steps > 0) {
    plan.total_steps = args.max_steps;
    plan.epochs = ceil_div(args.max_steps, plan.steps_per_epoch);
  } else {
    plan.total_steps = static_cast<int64_t>(std::ceil(args.num_train_epochs * static_cast<double>(plan.steps_per_epoch)));
    plan.epochs = static_cast<int64_t>(std::ceil(args.num_train_epochs));
  }
  plan.warmup_steps = args.warmup_steps >= 1
                          ? static_cast<int64_t>(args.warmup_steps)
                          : static_cast<int64_t>(std::ceil(static_cast<double>(plan.total_steps) * args.warmup_steps));
  return plan;
}

int64_t interval_in_steps(double steps_or_ratio, int64_t total_steps) {
  if (steps_or_ratio >= 1) return static_cast<int64_t>(steps_or_ratio);
  return static_cast<int64_t>(std::ceil(static_cast<double>(total_steps) * steps_or_ratio));
}

}  // namespace hft::train
