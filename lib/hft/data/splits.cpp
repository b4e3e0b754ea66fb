#include "hft/data/splits.h"

#include "hft/data/data_error.h"         // DataError
#include "hft/data/encoded_cache.h"      // encoded_cache_key, load_encoded_cache, save_encoded_cache
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

// `read_before`: the table of the file the labels came from, taken (moved) when it is this file.
EncodedDataset load_split(const std::string& path, std::optional<int64_t> max_samples,
                          std::optional<int64_t> shuffle_seed, const SplitsOptions& options,
                          const Splits& splits, const tokenize::Tokenizer& tokenizer,
                          const std::string& tokenizer_path, std::optional<Table>& read_before) {
  std::string cache_path, key;
  if (!options.cache_dir.empty()) {
    const int64_t max_length = effective_max_length(tokenizer, options.encode);
    const auto settings = cache_settings(options, splits, max_length, max_samples, shuffle_seed);
    key = encoded_cache_key(read_file_bytes(path), tokenizer_path, settings);
    cache_path = encoded_cache_path(options.cache_dir, key);
    if (auto cached = load_encoded_cache(cache_path, key)) return std::move(*cached);
  }
  Table table = read_before && read_before->file == path ? std::move(*read_before)
                                                         : read_table(path, {options.column_names, ""});
  read_before.reset();
  if (shuffle_seed) reorder_rows(table, numpy_permutation(static_cast<uint64_t>(*shuffle_seed), table.num_rows()));
  if (max_samples) keep_first_rows(table, *max_samples);
  const Examples examples = make_examples(table, splits.columns, options.columns.label_column_name, splits.labels);
  EncodedDataset dataset = encode_examples(examples, tokenizer, options.encode);
  if (!cache_path.empty()) save_encoded_cache(cache_path, key, dataset);
  return dataset;
}

// The labels and text columns, from the training file (else the validation, else the test
// file); returns the table it read.
Table choose_columns_and_labels(const SplitsOptions& options, Splits& splits) {
  const std::optional<std::string>& source = options.train_file         ? options.train_file
                                             : options.validation_file ? options.validation_file
                                                                       : options.test_file;
  if (!source) throw DataError("recipe", 0, "no data file given (train_file, validation_file or test_file)");
  Table table = read_table(*source, {options.column_names, ""});
  splits.columns = choose_text_columns(table, options.columns);
  const bool stsb = options.columns.task_name == std::optional<std::string>("stsb");
  const std::optional<bool> regression = options.regression ? options.regression : stsb ? std::optional<bool>(true)
                                                                                          : std::nullopt;
  splits.labels = options.labels ? *options.labels
                                 : build_label_space(table, options.columns.label_column_name, regression);
  return table;
}

}  // namespace

SplitsOptions splits_options(const config::DataArguments& data) {
  SplitsOptions options;
  options.train_file = data.train_file;
  options.validation_file = data.validation_file;
  options.test_file = data.test_file;
  options.columns = {data.task_name, data.text_column_names, data.label_column_name};
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
    return load_split(path, max_samples, shuffle, options, splits, tokenizer, tokenizer_path, first_table);
  };
  if (options.train_file) splits.train = load(*options.train_file, options.max_train_samples, options.shuffle_seed);
  if (options.validation_file)
    splits.validation = load(*options.validation_file, options.max_eval_samples, std::nullopt);
  if (options.test_file) splits.test = load(*options.test_file, options.max_predict_samples, std::nullopt);
  return splits;
}

}  // namespace hft::data
