// BatchLoader: background workers deliver exactly the batches the collator builds, in step
// order, from any starting step.
#include "torch_catch.h"  // torch, then Catch2 (first: before any header that brings c10's CHECK)

#include "hft/data/batch_loader.h"

#include "hft/data/sampler.h"  // epoch_indices

using namespace hft::data;

namespace {

// A dataset of `rows` rows, row i holding i % 13 + 1 tokens with ids 1000 + i.
EncodedDataset synthetic(int64_t rows) {
  EncodedDataset dataset;
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t t = 0; t < i % 13 + 1; ++t) {
      dataset.input_ids.push_back(static_cast<int32_t>(1000 + i));
      dataset.token_type_ids.push_back(0);
    }
    dataset.offsets.push_back(static_cast<int64_t>(dataset.input_ids.size()));
    dataset.label_ids.push_back(i % 2);
  }
  dataset.has_labels = true;
  return dataset;
}

}  // namespace

TEST_CASE("workers deliver the collator's batches in order, from any step") {
  const EncodedDataset dataset = synthetic(101);
  SamplerOptions sampler;
  sampler.seed = 5;
  const auto indices = epoch_indices(sampler, dataset.size(), 1);
  CollatorOptions collator;
  collator.pad_id = 7;
  for (int64_t workers : {0, 1, 3}) {
    for (int64_t first : {0, 4}) {
      for (bool drop_last : {false, true}) {
        INFO("workers " << workers << ", first step " << first << ", drop_last " << drop_last);
        LoaderOptions options;
        options.batch_size = 8;
        options.num_workers = workers;
        options.drop_last = drop_last;
        BatchLoader loader(dataset, indices, padding_collator(collator), options, first);
        CHECK(loader.num_batches() == (drop_last ? 12 : 13));
        int64_t step = first;
        while (auto batch = loader.next()) {
          const Batch expected = collate(dataset, batch_at(indices, step, 8), collator);
          CHECK(torch::equal(batch->input_ids, expected.input_ids));
          CHECK(torch::equal(batch->attention_mask, expected.attention_mask));
          CHECK(torch::equal(batch->labels, expected.labels));
          ++step;
        }
        CHECK(step == loader.num_batches());
      }
    }
  }
}

TEST_CASE("a loader destroyed before the end stops its workers") {
  const EncodedDataset dataset = synthetic(500);
  LoaderOptions options;
  options.num_workers = 4;
  BatchLoader loader(dataset, epoch_indices({}, dataset.size(), 0), padding_collator({}), options);
  CHECK(loader.next().has_value());
}  // the destructor joins; a hang here fails by the test timeout

TEST_CASE("hand-checked padding: pad id, left side, labels") {
  EncodedDataset dataset;
  dataset.input_ids = {5, 6, 7, 8, 9};
  dataset.token_type_ids = {0, 0, 0, 1, 1};
  dataset.offsets = {0, 2, 5};
  dataset.regression = true;
  dataset.has_labels = true;
  dataset.targets = {0.5f, 4.0f};
  CollatorOptions options;
  options.pad_id = 3;
  options.padding_side = hft::tokenize::PaddingSide::kLeft;
  const std::vector<int64_t> rows = {0, 1};
  const Batch batch = collate(dataset, rows, options);
  CHECK(torch::equal(batch.input_ids, torch::tensor({3, 5, 6, 7, 8, 9}, torch::kInt64).view({2, 3})));
  CHECK(torch::equal(batch.attention_mask, torch::tensor({0, 1, 1, 1, 1, 1}, torch::kInt64).view({2, 3})));
  CHECK(torch::equal(batch.token_type_ids, torch::tensor({0, 0, 0, 0, 1, 1}, torch::kInt64).view({2, 3})));
  CHECK(torch::equal(batch.labels, torch::tensor({0.5f, 4.0f})));
  CHECK(batch.num_tokens == 5);
}
