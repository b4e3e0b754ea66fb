#include "hft/train/step_plan.h"

#include <catch2/catch.hpp>

using hft::config::TrainingArguments;
using hft::train::interval_in_steps;
using hft::train::plan_steps;

TEST_CASE("the seed recipe: 67,349 SST-2 rows, batches of 16, 3 epochs") {
  TrainingArguments args;
  args.per_device_train_batch_size = 16;
  const auto plan = plan_steps(args, 67349);
  CHECK(plan.batches_per_epoch == 4210);  // ceil(67349 / 16)
  CHECK(plan.steps_per_epoch == 4210);
  CHECK(plan.total_steps == 12630);
  CHECK(plan.warmup_steps == 0);
}

TEST_CASE("accumulation rounds the last partial step up; a warmup ratio rounds up") {
  TrainingArguments args;
  args.per_device_train_batch_size = 32;
  args.gradient_accumulation_steps = 3;
  args.num_train_epochs = 2.5;
  args.warmup_steps = 0.1;
  const auto plan = plan_steps(args, 872);
  CHECK(plan.batches_per_epoch == 28);  // ceil(872 / 32)
  CHECK(plan.steps_per_epoch == 10);    // ceil(28 / 3)
  CHECK(plan.total_steps == 25);        // ceil(2.5 * 10)
  CHECK(plan.epochs == 3);
  CHECK(plan.warmup_steps == 3);        // ceil(0.1 * 25)
  CHECK(plan.global_batch_size == 96);
}

TEST_CASE("max_steps wins over epochs; drop_last drops the partial batch") {
  TrainingArguments args;
  args.per_device_train_batch_size = 16;
  args.dataloader_drop_last = true;
  args.max_steps = 100;
  const auto plan = plan_steps(args, 1000);
  CHECK(plan.batches_per_epoch == 62);  // floor(1000 / 16)
  CHECK(plan.total_steps == 100);
  CHECK(plan.epochs == 2);              // ceil(100 / 62)
}

TEST_CASE("several processes split the rows as DistributedSampler does") {
  TrainingArguments args;
  args.per_device_train_batch_size = 8;
  const auto plan = plan_steps(args, 1001, 4);
  CHECK(plan.batches_per_epoch == 32);  // ceil(ceil(1001 / 4) / 8) = ceil(251 / 8)
  CHECK(plan.global_batch_size == 32);
}

TEST_CASE("intervals are steps, or a fraction of the total") {
  CHECK(interval_in_steps(500, 12630) == 500);
  CHECK(interval_in_steps(0.1, 12630) == 1263);
  CHECK(interval_in_steps(0.25, 25) == 7);  // ceil(6.25)
}
