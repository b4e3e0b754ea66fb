#include "hft/data/splits.h"

#include <algorithm>

#include "hft/data/data_error.h"         // DataError
#include "hft/data/encoded_cache.h"      // encoded_cache_key, load_encoded_cache, save_encoded_cache, CacheRead
#include "hft/data/examples.h"           // make_examples
#include "hft/data/numpy_permutation.h"  // numpy_permutation
#include "hft/data/data_file.h"          // read_file_bytes
#include "hft/data/read_table.h"         // read_table

namespace hft::data {
namespace {

// Every setting that changes a split's ids or labels, for the cache key.
std::vector<std::string> cache_settings(const SplitsOptions& options, const Splits& splits, int64_t max_length,
                                        std::optional<int64_t> max_samples, std::optional<int64_t> shuffle_seed) {
  const std::string kind = splits.labels.regression ? "regression" : splits.labels.multi_label ? "multi" : "single";
  const std::string labels = kind + ":" + join_names(splits.labels.names);
  return {"column_names=" + join_names(options.column_names),
          "text=" + splits.columns.first + "|" + splits.columns.second.value_or(""),
          "label_column=" + options.columns.label_column_name,
          "labels=" + labels,
          "max_length=" + std::to_string(max_length),
          "max_samples=" + (max_samples ? std::to_string(*max_samples) : std::string("all")),
          "shuffle_seed=" + (shuffle_seed ? std::to_string(*shuffle_seed) : std::string("none")),
          "encode=special_tokens,longest_first"};
}

// The rows of a split: the file's, shuffled when asked, the first max_samples of them.
// `read_before`: the table of the file the labels came from, taken (moved) when it is this file.
Table split_rows(const std::string& path, std::optional<int64_t> max_samples, std::optional<int64_t> shuffle_seed,
                 const SplitsOptions& options, std::optional<Table>& read_before) {
  Table table = read_before && read_before->file == path ? std::move(*read_before)
                                                         : read_table(path, {options.column_names, ""});
  read_before.reset();
  if (shuffle_seed) reorder_rows(table, numpy_permutation(static_cast<uint64_t>(*shuffle_seed), table.num_rows()));
  if (max_samples) keep_first_rows(table, *max_samples);
  return table;
}

// Every training row needs its label: -1 ("no label", kept for evaluation) would fail in the loss,
// as it does in transformers (cross_entropy ignores -100 only). Names the first such row, read
// again on this error path (a cached split has no lines).
void check_training_labels(const EncodedDataset& train, const std::string& path, const SplitsOptions& options) {
  const auto unlabelled = std::find(train.label_ids.begin(), train.label_ids.end(), int64_t{-1});
  if (unlabelled == train.label_ids.end()) return;
  std::optional<Table> none;
  const Table rows = split_rows(path, options.max_train_samples, options.shuffle_seed, options, none);
  throw_row_error(rows, unlabelled - train.label_ids.begin(),
                  "label -1 (no label) in the training file; expected a label for every training row");
}

// A damaged cache entry is rebuilt, with a line in `warnings`.
EncodedDataset load_split(const std::string& path, std::optional<int64_t> max_samples,
                          std::optional<int64_t> shuffle_seed, const SplitsOptions& options,
                          const Splits& splits, const tokenize::Tokenizer& tokenizer,
                          const std::string& tokenizer_path, std::optional<Table>& read_before,
                          std::vector<std::string>& warnings) {
  std::string cache_path, key;
  if (!options.cache_dir.empty()) {
    const int64_t max_length = effective_max_length(tokenizer, options.encode);
    const auto settings = cache_settings(options, splits, max_length, max_samples, shuffle_seed);
    key = encoded_cache_key(read_file_bytes(path), tokenizer_path, settings);
    cache_path = encoded_cache_path(options.cache_dir, key);
    CacheRead cached = load_encoded_cache(cache_path, key);
    if (cached.dataset) return std::move(*cached.dataset);
    if (!cached.problem.empty())
      warnings.push_back("the encoded cache of " + path + " (" + cache_path + ") is damaged: " + cached.problem +
                         "; encoding the file again");
  }
  Table table = split_rows(path, max_samples, shuffle_seed, options, read_before);
  const Examples examples = make_examples(table, splits.columns, options.columns.label_column_name, splits.labels);
  EncodedDataset dataset = encode_examples(examples, tokenizer, options.encode);
  if (!cache_path.empty()) save_encoded_cache(cache_path, key, dataset);
  return dataset;
}

// Whether `table` labels any row: a label column with a cell that is neither missing nor -1.
bool labels_any_row(const Table& table, const std::string& label_column) {
  const auto index = table.find(label_column);
  if (!index) return false;
  const Column& column = table.columns[*index];
  for (size_t row = 0; row < column.cells.size(); ++row)
    if (!column.missing[row] && column.cells[row] != "-1") return true;
  return false;
}

// The labels and text columns, from the label file (else the training, the validation, the test
// file); returns the table it read.
Table choose_columns_and_labels(const SplitsOptions& options, Splits& splits) {
  const std::optional<std::string>& source = options.label_file        ? options.label_file
                                             : options.train_file      ? options.train_file
                                             : options.validation_file ? options.validation_file
                                                                       : options.test_file;
  if (!source) throw DataError("recipe", 0, "no data file given (train_file, validation_file or test_file)");
  Table table = read_table(*source, {options.column_names, ""});
  splits.columns = choose_text_columns(table, options.columns);
  const std::string& label_column = options.columns.label_column_name;
  if (options.labels && !(options.data_labels_first && labels_any_row(table, label_column))) {
    splits.labels = *options.labels;
    return table;
  }
  const bool stsb = options.columns.task_name == std::optional<std::string>("stsb");
  const std::optional<bool> regression = options.regression ? options.regression : stsb ? std::optional<bool>(true)
                                                                                          : std::nullopt;
  splits.labels = build_label_space(table, label_column, regression);
  return table;
}

}  // namespace

SplitsOptions splits_options(const config::DataArguments& data) {
  SplitsOptions options;
  options.train_file = data.train_file;
  options.validation_file = data.validation_file;
  options.test_file = data.test_file;
  options.columns = {data.task_name, data.text_column_names, data.label_column_name.value_or("label")};
  options.max_train_samples = data.max_train_samples;
  options.max_eval_samples = data.max_eval_samples;
  options.max_predict_samples = data.max_predict_samples;
  options.encode.max_seq_length = data.max_seq_length;
  if (data.shuffle_train_dataset) options.shuffle_seed = data.shuffle_seed;
  return options;
}

Splits load_splits(const SplitsOptions& options, const tokenize::Tokenizer& tokenizer,
                   const std::string& tokenizer_path) {
  Splits splits;
  std::optional<Table> first_table = choose_columns_and_labels(options, splits);
  const auto load = [&](const std::string& path, std::optional<int64_t> max_samples, std::optional<int64_t> shuffle) {
    return load_split(path, max_samples, shuffle, options, splits, tokenizer, tokenizer_path, first_table,
                      splits.warnings);
  };
  if (options.train_file) {
    splits.train = load(*options.train_file, options.max_train_samples, options.shuffle_seed);
    check_training_labels(*splits.train, *options.train_file, options);
  }
  if (options.validation_file)
    splits.validation = load(*options.validation_file, options.max_eval_samples, std::nullopt);
  if (options.test_file) splits.test = load(*options.test_file, options.max_predict_samples, std::nullopt);
  return splits;
}

}  // namespace hft::data
