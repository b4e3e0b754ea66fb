#include "hft/data/split_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace hft::data {
namespace {

double percentile(const std::vector<int64_t>& sorted, int p) {
  if (sorted.empty()) return 0.0;
  const double position = p / 100.0 * static_cast<double>(sorted.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return static_cast<double>(sorted[below]) + fraction * static_cast<double>(sorted[above] - sorted[below]);
}

void count_labels(const EncodedDataset& dataset, const LabelSpace& labels, SplitStats& stats) {
  if (!dataset.has_labels) {
    stats.unlabeled_rows = dataset.size();
    return;
  }
  if (dataset.regression) {
    const auto [low, high] = std::minmax_element(dataset.targets.begin(), dataset.targets.end());
    if (low == dataset.targets.end()) return;
    stats.target_min = *low;
    stats.target_max = *high;
    stats.target_mean = std::accumulate(dataset.targets.begin(), dataset.targets.end(), 0.0) / dataset.targets.size();
    return;
  }
  if (labels.names.empty() && !dataset.token_labels.empty()) {  // language modelling: the labels are token ids
    const auto learnt = std::count_if(dataset.token_labels.begin(), dataset.token_labels.end(), [](int32_t t) { return t >= 0; });
    stats.label_counts.emplace_back("learnt tokens", learnt);
    return;
  }
  std::vector<int64_t> counts(labels.names.size(), 0);
  for (int32_t tag : dataset.token_labels)
    if (tag >= 0) ++counts[tag];
  stats.token_labels = !dataset.token_labels.empty();
  for (size_t i = 0; i < dataset.targets.size() && dataset.multi_label_width > 0; ++i)
    counts[i % dataset.multi_label_width] += dataset.targets[i] > 0 ? 1 : 0;  // rows carrying each label
  for (int64_t id : dataset.label_ids) {
    if (id < 0) ++stats.unlabeled_rows;
    else ++counts[id];
  }
  for (size_t i = 0; i < counts.size(); ++i) stats.label_counts.emplace_back(labels.names[i], counts[i]);
}

void count_padding(const EncodedDataset& dataset, int64_t batch_size, const CollatorOptions& collator,
                   SplitStats& stats) {
  CollatorOptions dynamic = collator;
  dynamic.pad_to_max_length = false;
  CollatorOptions fixed = collator;
  fixed.pad_to_max_length = true;
  const int64_t per_row = dataset.sequences_per_row;  // multiple choice pads every choice of a batch alike
  for (int64_t begin = 0; begin < dataset.size(); begin += batch_size) {
    const int64_t end = std::min(dataset.size(), begin + batch_size);
    int64_t longest = 0;
    for (int64_t s = begin * per_row; s < end * per_row; ++s) longest = std::max(longest, dataset.sequence_length(s));
    stats.tokens_dynamic += (end - begin) * per_row * padded_length(longest, dynamic);
    stats.tokens_max_length += (end - begin) * per_row * padded_length(longest, fixed);
  }
  if (stats.tokens_max_length > 0)
    stats.padding_saved_fraction = 1.0 - static_cast<double>(stats.tokens_dynamic) / stats.tokens_max_length;
}

// Tokens that came from a word, over the words (a word ends where the next token's word id differs).
double pieces_per_word(const EncodedDataset& dataset) {
  int64_t pieces = 0, words = 0;
  int32_t previous = -1;
  for (int32_t word : dataset.word_ids) {
    pieces += word >= 0 ? 1 : 0;
    words += word >= 0 && word != previous ? 1 : 0;
    previous = word;
  }
  return words == 0 ? 0.0 : static_cast<double>(pieces) / static_cast<double>(words);
}

}  // namespace

SplitStats split_stats(const EncodedDataset& dataset, const LabelSpace& labels, int64_t batch_size,
                       const CollatorOptions& collator) {
  SplitStats stats;
  stats.rows = dataset.size();
  stats.tokens = static_cast<int64_t>(dataset.input_ids.size());
  std::vector<int64_t> lengths(dataset.sequences());
  for (int64_t s = 0; s < dataset.sequences(); ++s) lengths[s] = dataset.sequence_length(s);
  std::sort(lengths.begin(), lengths.end());
  stats.choices = dataset.sequences_per_row;
  if (!dataset.word_ids.empty()) stats.pieces_per_word = pieces_per_word(dataset);
  for (int p : {50, 90, 95, 99, 100}) stats.length_percentiles.emplace_back(p, percentile(lengths, p));
  count_labels(dataset, labels, stats);
  count_padding(dataset, std::max<int64_t>(batch_size, 1), collator, stats);
  return stats;
}

nlohmann::json to_json(const SplitStats& stats) {
  nlohmann::json out = {{"rows", stats.rows},
                        {"label_counts", stats.label_counts},
                        {"token_labels", stats.token_labels},
                        {"choices", stats.choices},
                        {"unlabeled_rows", stats.unlabeled_rows},
                        {"length_percentiles", stats.length_percentiles},
                        {"tokens", stats.tokens},
                        {"tokens_dynamic", stats.tokens_dynamic},
                        {"tokens_max_length", stats.tokens_max_length},
                        {"padding_saved_fraction", stats.padding_saved_fraction}};
  if (stats.pieces_per_word) out["pieces_per_word"] = *stats.pieces_per_word;
  if (stats.target_mean) {
    out["target_min"] = *stats.target_min;
    out["target_mean"] = *stats.target_mean;
    out["target_max"] = *stats.target_max;
  }
  return out;
}

}  // namespace hft::data
