// split_stats: hand-computed padding and percentiles, and SST-2 dev's published label counts.
#include "hft/data/split_stats.h"

#include <catch2/catch.hpp>

#include "hft/data/splits.h"    // load_splits
#include "hft/tokenize/load.h"  // tokenize::load
#include "oracle.h"             // glue_path, source_path

using namespace hft::data;

TEST_CASE("split statistics: lengths, labels, padding saved (hand-computed)") {
  EncodedDataset dataset;
  for (int64_t length : {2, 4, 3, 10, 1}) {
    dataset.input_ids.insert(dataset.input_ids.end(), length, 1);
    dataset.token_type_ids.insert(dataset.token_type_ids.end(), length, 0);
    dataset.offsets.push_back(static_cast<int64_t>(dataset.input_ids.size()));
  }
  dataset.has_labels = true;
  dataset.label_ids = {0, 1, 1, -1, 1};
  LabelSpace labels;
  labels.names = {"neg", "pos"};
  CollatorOptions collator;
  collator.max_length = 16;
  const SplitStats stats = split_stats(dataset, labels, 2, collator);
  CHECK(stats.rows == 5);
  CHECK(stats.tokens == 20);
  CHECK(stats.label_counts == std::vector<std::pair<std::string, int64_t>>{{"neg", 1}, {"pos", 3}});
  CHECK(stats.unlabeled_rows == 1);
  // sorted lengths 1 2 3 4 10: p50 = 3, p90 = 4 + 0.6 * 6 = 7.6, p100 = 10
  CHECK(stats.length_percentiles[0] == std::pair<int, double>{50, 3.0});
  CHECK(stats.length_percentiles[1].second == Approx(7.6));
  CHECK(stats.length_percentiles[4].second == 10.0);
  // batches {2,4} {3,10} {1}: 2*4 + 2*10 + 1*1 = 29 tokens padded dynamically, 5*16 = 80 fixed
  CHECK(stats.tokens_dynamic == 29);
  CHECK(stats.tokens_max_length == 80);
  CHECK(stats.padding_saved_fraction == Approx(1.0 - 29.0 / 80.0));
}

TEST_CASE("SST-2 dev: 444 positive and 428 negative rows (the published counts)") {
  const std::string tokenizer_dir = hft::testing::source_path("models/all-MiniLM-L6-v2");
  const auto tokenizer = hft::tokenize::load(tokenizer_dir);
  SplitsOptions options;
  options.validation_file = hft::testing::glue_path("SST-2/dev.tsv");
  const Splits splits = load_splits(options, tokenizer, tokenizer_dir);
  const SplitStats stats = split_stats(*splits.validation, splits.labels, 8, {});
  CHECK(stats.label_counts == std::vector<std::pair<std::string, int64_t>>{{"0", 428}, {"1", 444}});
  CHECK(stats.padding_saved_fraction > 0.5);  // SST-2 sentences are far shorter than 128 tokens
}
