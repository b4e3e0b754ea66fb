// Between data/ and the loops: an epoch's BatchLoader as the training loop's BatchStream, and a
// split's batches as the evaluation loop's BatchSource, each collated by the task's collator.
#pragma once

#include <memory>

#include "hft/config/recipe.h"              // TrainingArguments
#include "hft/data/collator.h"              // Collate
#include "hft/data/encoded_dataset.h"       // EncodedDataset
#include "hft/distributed/process_group.h"  // Group
#include "hft/eval/evaluation_loop.h"       // BatchSource
#include "hft/train/training_loop.h"        // BatchStream

namespace hft::train {

// torch's DataLoader draws one int64 from the default generator each time an iterator is made
// (its workers' base seed, drawn even without workers), and the Trainer makes one per epoch and
// one per evaluation. hft draws it at the same moments, so dropout's masks are the Trainer's.
void draw_like_a_dataloader_iterator();

// The training batches of `epoch` for this rank of `group`, in the sampler's order, from batch
// `first_batch` on (a resumed run; the batches before it are never built), on `device`. A new
// epoch draws like a DataLoader iterator; a resumed one does not: the Trainer draws and then
// puts back the generator states of the checkpoint, which hft restored before.
std::unique_ptr<BatchStream> training_batches(const data::EncodedDataset& train, const config::TrainingArguments& args,
                                              const data::Collate& collate, const distributed::Group& group,
                                              int64_t epoch, int64_t first_batch = 0,
                                              const torch::Device& device = torch::kCPU);

// This rank's share of a split's batches in file order (evaluation and prediction), on `device`,
// drawing like a DataLoader iterator. The returned source owns its loader; `dataset` must outlive it.
eval::BatchSource evaluation_batches(const data::EncodedDataset& dataset, const config::TrainingArguments& args,
                                     const data::Collate& collate, const distributed::Group& group,
                                     const torch::Device& device = torch::kCPU);

}  // namespace hft::train
