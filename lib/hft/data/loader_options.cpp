#include "hft/data/loader_options.h"

namespace hft::data {

SamplerOptions train_sampler_options(const config::TrainingArguments& args, int64_t rank, int64_t world_size) {
  SamplerOptions options;
  switch (args.train_sampling_strategy) {
    case config::TrainSamplingStrategy::kRandom: options.kind = SamplingKind::kRandom; break;
    case config::TrainSamplingStrategy::kSequential: options.kind = SamplingKind::kSequential; break;
    case config::TrainSamplingStrategy::kGroupByLength: options.kind = SamplingKind::kLengthGrouped; break;
  }
  options.seed = args.data_seed.value_or(args.seed);
  options.rank = rank;
  options.world_size = world_size;
  options.group_batch_size = args.per_device_train_batch_size * args.gradient_accumulation_steps;
  return options;
}

SamplerOptions eval_sampler_options(int64_t rank, int64_t world_size) {
  SamplerOptions options;
  options.kind = SamplingKind::kSequential;
  options.rank = rank;
  options.world_size = world_size;
  return options;
}

LoaderOptions loader_options(const config::TrainingArguments& args, bool training) {
  LoaderOptions options;
  options.batch_size = training ? args.per_device_train_batch_size : args.per_device_eval_batch_size;
  options.drop_last = training && args.dataloader_drop_last;
  options.num_workers = args.dataloader_num_workers;
  options.pin_memory = args.dataloader_pin_memory;
  return options;
}

}  // namespace hft::data
