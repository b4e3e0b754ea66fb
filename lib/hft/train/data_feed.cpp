#include "hft/train/data_feed.h"

#include "hft/data/loader_options.h"  // train_sampler_options, eval_sampler_options, loader_options
#include "hft/data/sampler.h"         // epoch_indices

namespace hft::train {
namespace {

class LoaderStream : public BatchStream {
 public:
  explicit LoaderStream(std::unique_ptr<data::BatchLoader> loader) : loader_(std::move(loader)) {}
  std::optional<model::ModelInputs> next() override {
    auto batch = loader_->next();
    if (!batch) return std::nullopt;
    return to_model_inputs(std::move(*batch));
  }

 private:
  std::unique_ptr<data::BatchLoader> loader_;
};

}  // namespace

model::ModelInputs to_model_inputs(data::Batch batch) {
  return model::ModelInputs{std::move(batch.input_ids), std::move(batch.attention_mask),
                            std::move(batch.token_type_ids), std::move(batch.labels)};
}

std::unique_ptr<BatchStream> training_batches(const data::EncodedDataset& train, const config::TrainingArguments& args,
                                              const data::CollatorOptions& collator, int64_t epoch) {
  const data::SamplerOptions sampler = data::train_sampler_options(args, /*rank=*/0, /*world_size=*/1);
  const std::vector<int64_t> lengths = train.lengths();
  std::vector<int64_t> order = data::epoch_indices(sampler, train.size(), epoch, lengths);
  auto loader = std::make_unique<data::BatchLoader>(train, std::move(order), collator,
                                                    data::loader_options(args, /*training=*/true));
  return std::make_unique<LoaderStream>(std::move(loader));
}

std::function<std::optional<model::ModelInputs>()> evaluation_batches(const data::EncodedDataset& dataset,
                                                                      const config::TrainingArguments& args,
                                                                      const data::CollatorOptions& collator) {
  std::vector<int64_t> order = data::epoch_indices(data::eval_sampler_options(0, 1), dataset.size(), 0);
  auto loader = std::make_shared<data::BatchLoader>(dataset, std::move(order), collator,
                                                    data::loader_options(args, /*training=*/false));
  return [loader]() -> std::optional<model::ModelInputs> {
    auto batch = loader->next();
    if (!batch) return std::nullopt;
    return to_model_inputs(std::move(*batch));
  };
}

}  // namespace hft::train
