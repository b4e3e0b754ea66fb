// BatchLoader: the batches of one epoch, collated ahead of the training loop on background
// threads (dataloader_num_workers), in step order, with at most prefetch_factor batches per
// worker waiting. 0 workers collate on the caller's thread. Starting at a later step (a resumed
// run) costs nothing: batches before it are never built.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "hft/data/collator.h"         // Batch, Collate
#include "hft/data/encoded_dataset.h"  // EncodedDataset

namespace hft::data {

struct LoaderOptions {
  int64_t batch_size = 8;       // rows per batch on this rank
  bool drop_last = false;       // dataloader_drop_last: no last partial batch
  int64_t num_workers = 0;      // dataloader_num_workers; 0: collate on the calling thread
  int64_t prefetch_factor = 2;  // batches each worker may hold ready
  bool pin_memory = false;      // page-locked tensors (only where CUDA is available)
};

class BatchLoader {
 public:
  // `indices`: this rank's rows of the epoch, in order (epoch_indices). `dataset` must outlive
  // the loader. `collate` builds each batch (on the worker threads).
  BatchLoader(const EncodedDataset& dataset, std::vector<int64_t> indices, Collate collate,
              LoaderOptions options, int64_t first_step = 0);
  ~BatchLoader();
  BatchLoader(const BatchLoader&) = delete;
  BatchLoader& operator=(const BatchLoader&) = delete;

  int64_t num_batches() const { return num_batches_; }
  // The next batch in step order; nullopt after the last. Rethrows a worker's exception.
  std::optional<Batch> next();

 private:
  Batch build(int64_t step) const;
  void work(int64_t worker);

  const EncodedDataset& dataset_;
  const std::vector<int64_t> indices_;
  const Collate collate_;
  const LoaderOptions options_;
  const int64_t num_batches_;
  const int64_t first_step_;
  int64_t next_step_;  // the step next() returns; guarded by mutex_ when workers run

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<int64_t, Batch> ready_;  // built batches by step
  std::exception_ptr error_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// Copies a batch to `device` (non_blocking from pinned memory); undefined tensors stay undefined.
Batch to_device(const Batch& batch, const c10::Device& device, bool non_blocking);

}  // namespace hft::data
