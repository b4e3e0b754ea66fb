#include "hft/data/batch_loader.h"

#include <torch/cuda.h>
#include <torch/torch.h>

#include "hft/data/sampler.h"  // batch_at, batches_per_epoch

namespace hft::data {
namespace {

at::Tensor pinned(const at::Tensor& tensor) { return tensor.defined() ? tensor.pin_memory() : tensor; }

at::Tensor moved(const at::Tensor& tensor, const c10::Device& device, bool non_blocking) {
  return tensor.defined() ? tensor.to(device, non_blocking) : tensor;
}

}  // namespace

BatchLoader::BatchLoader(const EncodedDataset& dataset, std::vector<int64_t> indices, Collate collate,
                         LoaderOptions options, int64_t first_step)
    : dataset_(dataset),
      indices_(std::move(indices)),
      collate_(std::move(collate)),
      options_(options),
      num_batches_(batches_per_epoch(static_cast<int64_t>(indices_.size()), options.batch_size, options.drop_last)),
      first_step_(first_step),
      next_step_(first_step) {
  for (int64_t w = 0; w < options_.num_workers; ++w) workers_.emplace_back([this, w] { work(w); });
}

BatchLoader::~BatchLoader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

Batch BatchLoader::build(int64_t step) const {
  Batch batch = collate_(dataset_, batch_at(indices_, step, options_.batch_size));
  if (options_.pin_memory && torch::cuda::is_available()) {
    batch.input_ids = pinned(batch.input_ids);
    batch.attention_mask = pinned(batch.attention_mask);
    batch.token_type_ids = pinned(batch.token_type_ids);
    batch.labels = pinned(batch.labels);
    batch.position_ids = pinned(batch.position_ids);
  }
  return batch;
}

// Worker w builds steps first+w, first+w+W, ...; it waits while it is too far ahead.
void BatchLoader::work(int64_t worker) {
  const int64_t workers = options_.num_workers;
  const int64_t window = workers * std::max<int64_t>(options_.prefetch_factor, 1);
  for (int64_t step = first_step_ + worker; step < num_batches_; step += workers) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || step < next_step_ + window; });
      if (stopping_) return;
    }
    try {
      Batch batch = build(step);
      std::lock_guard<std::mutex> lock(mutex_);
      ready_.emplace(step, std::move(batch));
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
    changed_.notify_all();
  }
}

std::optional<Batch> BatchLoader::next() {
  if (next_step_ >= num_batches_) return std::nullopt;
  if (workers_.empty()) return build(next_step_++);
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return error_ || ready_.count(next_step_) > 0; });
  if (error_) std::rethrow_exception(error_);
  Batch batch = std::move(ready_.at(next_step_));
  ready_.erase(next_step_++);
  lock.unlock();
  changed_.notify_all();
  return batch;
}

Batch to_device(const Batch& batch, const c10::Device& device, bool non_blocking) {
  Batch out = batch;
  out.input_ids = moved(batch.input_ids, device, non_blocking);
  out.attention_mask = moved(batch.attention_mask, device, non_blocking);
  out.token_type_ids = moved(batch.token_type_ids, device, non_blocking);
  out.labels = moved(batch.labels, device, non_blocking);
  out.position_ids = moved(batch.position_ids, device, non_blocking);
  return out;
}

}  // namespace hft::data
