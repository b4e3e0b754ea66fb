// The labels of a task, built from the training file as run_glue.py builds them: regression
// (one float target) when the label column is float (or the task is stsb), otherwise the
// sorted set of training labels (integers sorted as numbers, strings as strings) numbered
// 0..n-1. A column of JSON lists is multi-label, as in run_classification.py: the labels of
// all lists, as strings, sorted as strings. label2id / id2label for the model config come
// from `names`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hft/data/table.h"  // Table

namespace hft::data {

struct LabelSpace {
  bool regression = false;
  bool multi_label = false;        // problem_type multi_label_classification: multi-hot float targets
  std::vector<std::string> names;  // [num_labels] id -> label as written in config.json (id2label)

  int64_t num_labels() const { return regression ? 1 : static_cast<int64_t>(names.size()); }
  std::map<std::string, int64_t> label2id() const;
  // The id of a label (a cell, or an element of a multi-label list); integer labels match by
  // value ("01" is 1). nullopt when unseen.
  std::optional<int64_t> id_of(const std::string& cell) const;
  bool integer_labels = false;  // labels are integers: cells are compared by value
};

// Whether the row's label is -1, GLUE's "no label" (run_glue keeps such rows as -1, whatever the
// model's label names): in an integer column, or among integer labels.
bool unlabelled(const Column& column, int64_t row, const LabelSpace& labels);

// The labels of a model's id2label names (evaluate/predict): names that are all integers ("0",
// "1") match cells by value, as labels read from a training file do.
LabelSpace label_space_of_names(std::vector<std::string> names);

// `regression` unset: decided by the column's kind (float -> regression). Integer label -1
// means "no label" (GLUE test files) and is left out. Throws DataError (file:line) for a missing
// label cell, a regression target that is not a finite number, an integer label outside int64,
// integers and names mixed in one column, or fewer than two classes.
LabelSpace build_label_space(const Table& train, const std::string& label_column, std::optional<bool> regression);

// The regression target of a row; throws DataError naming the row when the cell is not a
// number or not finite in float32.
float regression_target(const Table& table, const Column& column, int64_t row);

// The labels of a multi-label cell (a JSON list) as strings; throws DataError naming the row
// when the cell is not a list.
std::vector<std::string> list_labels(const Table& table, const Column& column, int64_t row);

}  // namespace hft::data
