// Samplers: the order in which one rank visits the rows of a split in a given epoch, as a pure
// function of (options, epoch), so a resumed run can jump to any step in O(1).
//   sequential     rows in file order (evaluation, prediction)
//   random         torch.randperm(n) from a CPU generator seeded with seed + epoch, exactly as
//                  torch's DistributedSampler draws it (so the order equals PyTorch's)
//   length-grouped the Trainer's LengthGroupedSampler: a random permutation cut into
//                  mega-batches (50 batches, or fewer for small data), each sorted by length,
//                  longest, with the longest row of all moved to the front; the permutation
//                  from a generator seeded with seed + epoch, as the Trainer's distributed
//                  sampler draws it. (A one-process Trainer draws it from the default generator,
//                  so its order and later dropout masks differ from hft's, and its resumed runs
//                  do not repeat the uninterrupted one; hft's do.)
// Sharding by rank follows DistributedSampler: pad the order by repeating it from the start
// (or drop the tail with drop_last) to a multiple of world_size, then rank r takes r, r+W, ...
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace hft::data {

enum class SamplingKind { kSequential, kRandom, kLengthGrouped };

struct SamplerOptions {
  SamplingKind kind = SamplingKind::kRandom;
  int64_t seed = 42;                // TrainingArguments::data_seed, else seed
  int64_t rank = 0;                 // this process's rank
  int64_t world_size = 1;           // number of processes
  bool drop_last = false;           // drop the tail that does not divide evenly among ranks
  int64_t group_batch_size = 8;     // length-grouped: train batch size x gradient_accumulation_steps
};

// Rows this rank visits per epoch (DistributedSampler.num_samples).
int64_t samples_per_rank(const SamplerOptions& options, int64_t num_rows);

// The rows this rank visits in `epoch`, in order. `lengths` ([num_rows] tokens per row) is
// needed for kLengthGrouped only.
std::vector<int64_t> epoch_indices(const SamplerOptions& options, int64_t num_rows, int64_t epoch,
                                   std::span<const int64_t> lengths = {});

// The whole-dataset order of an epoch before sharding (exposed for tests and tools).
std::vector<int64_t> epoch_order(const SamplerOptions& options, int64_t num_rows, int64_t epoch,
                                 std::span<const int64_t> lengths = {});

// Batches of `batch_size` in `num_indices` rows; the last partial one counts unless drop_last
// (DataLoader's drop_last, dataloader_drop_last).
int64_t batches_per_epoch(int64_t num_indices, int64_t batch_size, bool drop_last);

// The rows of batch `step` of an epoch's indices: resuming at a step costs no more than this.
std::span<const int64_t> batch_at(const std::vector<int64_t>& indices, int64_t step, int64_t batch_size);

}  // namespace hft::data
