// Statistics of an encoded split for `hft validate`: rows, label distribution, token length
// percentiles, and how much padding dynamic padding saves over padding to max_length.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hft/data/collator.h"         // CollatorOptions
#include "hft/data/encoded_dataset.h"  // EncodedDataset
#include "hft/data/label_space.h"      // LabelSpace

namespace hft::data {

struct SplitStats {
  int64_t rows = 0;
  std::vector<std::pair<std::string, int64_t>> label_counts;  // classification: rows per label name, in id order
                                                              // (multi-label: rows carrying each label; token
                                                              // classification: labelled tokens per tag)
  bool token_labels = false;                                  // label_counts count tokens (tags), not rows
  std::optional<double> pieces_per_word;                      // token classification: tokens per word, mean
  int64_t choices = 1;                                        // multiple choice: sequences per row
  int64_t unlabeled_rows = 0;                                  // label -1, or a file without labels
  std::optional<double> target_min, target_mean, target_max;  // regression targets
  std::vector<std::pair<int, double>> length_percentiles;     // (p, tokens) of a sequence (a row, or a choice)
                                                              // for p = 50, 90, 95, 99, 100
  int64_t tokens = 0;                 // real tokens in the split
  int64_t tokens_dynamic = 0;         // tokens + padding, batches of batch_size in file order, padded to their longest
  int64_t tokens_max_length = 0;      // tokens + padding when every row is padded to max_length
  double padding_saved_fraction = 0;  // 1 - tokens_dynamic / tokens_max_length
};

// Percentiles interpolate linearly between ranks, as numpy.percentile does by default.
// `collator` gives max_length and pad_to_multiple_of (its pad_to_max_length is ignored).
SplitStats split_stats(const EncodedDataset& dataset, const LabelSpace& labels, int64_t batch_size,
                       const CollatorOptions& collator);

// The fields under their names, pairs as [name, count] / [p, tokens]; unset optionals left out.
nlohmann::json to_json(const SplitStats& stats);

}  // namespace hft::data
