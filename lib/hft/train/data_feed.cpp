#include "hft/train/data_feed.h"

#include "hft/data/batch_loader.h"        // BatchLoader, to_device
#include "hft/data/loader_options.h"      // train_sampler_options, eval_sampler_options, loader_options
#include "hft/data/sampler.h"             // epoch_indices
#include "hft/distributed/collectives.h"  // unpadded_shard_size

namespace hft::train {
namespace {

class LoaderStream : public BatchStream {
 public:
  LoaderStream(std::unique_ptr<data::BatchLoader> loader, const torch::Device& device)
      : loader_(std::move(loader)), device_(device) {}
  std::optional<data::Batch> next() override {
    auto batch = loader_->next();
    if (!batch || device_.is_cpu()) return batch;
    return data::to_device(*batch, device_, /*non_blocking=*/true);
  }

 private:
  std::unique_ptr<data::BatchLoader> loader_;
  torch::Device device_;
};

}  // namespace

void draw_like_a_dataloader_iterator() {
  torch::empty({}, torch::kInt64).random_();
}

std::unique_ptr<BatchStream> training_batches(const data::EncodedDataset& train, const config::TrainingArguments& args,
                                              const data::Collate& collate, const distributed::Group& group,
                                              int64_t epoch, int64_t first_batch, const torch::Device& device) {
  const data::SamplerOptions sampler = data::train_sampler_options(args, group.rank(), group.size());
  const std::vector<int64_t> lengths = train.lengths();
  std::vector<int64_t> order = data::epoch_indices(sampler, train.size(), epoch, lengths);
  auto loader = std::make_unique<data::BatchLoader>(train, std::move(order), collate,
                                                    data::loader_options(args, /*training=*/true), first_batch);
  if (first_batch == 0) draw_like_a_dataloader_iterator();
  return std::make_unique<LoaderStream>(std::move(loader), device);
}

eval::BatchSource evaluation_batches(const data::EncodedDataset& dataset, const config::TrainingArguments& args,
                                     const data::Collate& collate, const distributed::Group& group,
                                     const torch::Device& device) {
  // Data parallel: rank r evaluates rows r, r+W, ... without DistributedSampler's padding (the
  // evaluation loop sums statistics over ranks, so no row may count twice).
  std::vector<int64_t> order =
      data::epoch_indices(data::eval_sampler_options(group.rank(), group.size()), dataset.size(), 0);
  order.resize(std::min<size_t>(order.size(), distributed::unpadded_shard_size(dataset.size(), group.rank(), group.size())));
  auto loader = std::make_shared<data::BatchLoader>(dataset, std::move(order), collate,
                                                    data::loader_options(args, /*training=*/false));
  draw_like_a_dataloader_iterator();
  return [loader, device]() -> std::optional<data::Batch> {
    auto batch = loader->next();
    if (!batch || device.is_cpu()) return batch;
    return data::to_device(*batch, device, /*non_blocking=*/true);
  };
}

}  // namespace hft::train
