// The Trainer's data settings, from TrainingArguments: which sampler, with which seed, how many
// rows per batch and background workers. (Rank and world size come from distributed/.)
#pragma once

#include <cstdint>

#include "hft/config/recipe.h"       // TrainingArguments
#include "hft/data/batch_loader.h"   // LoaderOptions
#include "hft/data/sampler.h"        // SamplerOptions

namespace hft::data {

// Training: train_sampling_strategy (random, sequential, group_by_length with batches of
// per_device_train_batch_size x gradient_accumulation_steps), data_seed else seed.
SamplerOptions train_sampler_options(const config::TrainingArguments& args, int64_t rank, int64_t world_size);

// Evaluation and prediction: sequential, sharded by rank without dropping rows.
SamplerOptions eval_sampler_options(int64_t rank, int64_t world_size);

// per_device_{train,eval}_batch_size, dataloader_drop_last (training only),
// dataloader_num_workers, dataloader_pin_memory.
LoaderOptions loader_options(const config::TrainingArguments& args, bool training);

}  // namespace hft::data
