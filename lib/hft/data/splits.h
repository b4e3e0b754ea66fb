// load_splits: the recipe's data files -> encoded train/validation/test splits, the way
// run_glue.py prepares them: the text columns and the labels are chosen from the training
// file and applied to every split; the training rows are shuffled when asked
// (run_classification.py's shuffle_train_dataset); max_*_samples keep the first rows after
// that; each split is tokenized once and cached on disk.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hft/config/recipe.h"          // DataArguments
#include "hft/data/encoded_dataset.h"   // EncodedDataset, EncodeSettings
#include "hft/data/label_space.h"       // LabelSpace
#include "hft/data/text_columns.h"      // ColumnOptions, TextColumns

namespace hft::data {

struct SplitsOptions {
  std::optional<std::string> train_file, validation_file, test_file;
  std::vector<std::string> column_names;  // names for header-less csv/tsv files (GLUE CoLA); empty: header
  ColumnOptions columns;
  std::optional<bool> regression;         // unset: task stsb, or a float label column
  // The file the text columns and labels are chosen from; unset: train_file, else validation_file,
  // else test_file. Evaluate/predict name the recipe's train_file here, as run_glue reads it.
  std::optional<std::string> label_file;
  std::optional<LabelSpace> labels;       // the model's labels (evaluate/predict): used instead of the data's
  // With `labels`: the label file's own labels win when it labels any row (the model's labels are
  // the default LABEL_0, LABEL_1, ...: run_glue then uses the data's sorted labels).
  bool data_labels_first = false;
  std::optional<int64_t> max_train_samples, max_eval_samples, max_predict_samples;
  std::optional<int64_t> shuffle_seed;    // shuffle_train_dataset: training rows in Dataset.shuffle(seed) order
  EncodeSettings encode;
  std::string cache_dir;                  // encoded-split cache; empty: no cache
};

// The options of a recipe's DataArguments (column_names, labels and cache_dir left to the caller).
SplitsOptions splits_options(const config::DataArguments& data);

struct Splits {
  LabelSpace labels;    // id2label / label2id / num_labels for the model config
  TextColumns columns;  // the text columns used
  std::optional<EncodedDataset> train, validation, test;
  std::vector<std::string> warnings;  // one line each: a damaged cache entry that was rebuilt, ...
};

// Throws DataError (file:line[:column]) for any problem of a data file.
Splits load_splits(const SplitsOptions& options, const tokenize::Tokenizer& tokenizer,
                   const std::string& tokenizer_path);

}  // namespace hft::data
