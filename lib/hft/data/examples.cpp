#include "hft/data/examples.h"

#include "hft/data/data_error.h"  // DataError

namespace hft::data {
namespace {

std::vector<std::string> texts_of(const Table& table, const std::string& name) {
  const Column& column = table.at(name);
  for (size_t row = 0; row < column.cells.size(); ++row)
    if (column.missing[row] || column.cells[row].empty())
      throw_row_error(table, static_cast<int64_t>(row),
                      "empty text in column '" + name + "' (an empty cell, or a missing-value marker such as NA)");
  return column.cells;
}

std::vector<float> targets_of(const Table& table, const Column& column) {
  std::vector<float> targets(column.cells.size());
  for (size_t row = 0; row < column.cells.size(); ++row) {
    if (column.missing[row])
      throw_row_error(table, static_cast<int64_t>(row), "missing label in column '" + column.name + "'");
    targets[row] = regression_target(table, column, static_cast<int64_t>(row));
  }
  return targets;
}

std::vector<int64_t> label_ids_of(const Table& table, const Column& column, const LabelSpace& labels) {
  std::vector<int64_t> ids(column.cells.size());
  for (size_t row = 0; row < column.cells.size(); ++row) {
    if (column.missing[row])
      throw_row_error(table, static_cast<int64_t>(row), "missing label in column '" + column.name + "'");
    if (unlabelled(column, static_cast<int64_t>(row), labels)) {
      ids[row] = -1;  // unlabeled (GLUE test convention)
      continue;
    }
    auto id = labels.id_of(column.cells[row]);
    if (!id)
      throw_row_error(table, static_cast<int64_t>(row),
                      "label '" + column.cells[row] + "' is not one of the known labels (from the training file, or the model's id2label: " +
                          join_names(labels.names) + ")");
    ids[row] = *id;
  }
  return ids;
}

// run_classification.py's multi_labels_to_ids: a 1.0 at the id of every label of the row.
std::vector<float> multi_hot_of(const Table& table, const Column& column, const LabelSpace& labels) {
  const size_t width = labels.names.size();
  std::vector<float> targets(column.cells.size() * width, 0.0f);
  for (size_t row = 0; row < column.cells.size(); ++row)
    for (const std::string& label : list_labels(table, column, static_cast<int64_t>(row))) {
      const auto id = labels.id_of(label);
      if (!id)
        throw_row_error(table, static_cast<int64_t>(row),
                        "label '" + label + "' is not one of the known labels (from the training file, or the model's id2label: " +
                            join_names(labels.names) + ")");
      targets[row * width + *id] = 1.0f;
    }
  return targets;
}

}  // namespace

Examples make_examples(const Table& table, const TextColumns& columns, const std::string& label_column,
                       const LabelSpace& labels) {
  Examples examples;
  examples.file = table.file;
  examples.lines = table.lines;
  examples.first = texts_of(table, columns.first);
  if (columns.second) examples.second = texts_of(table, *columns.second);
  const auto label = table.find(label_column);
  examples.has_labels = label.has_value();
  if (!label) return examples;
  const Column& column = table.columns[*label];
  if (labels.regression) {
    examples.targets = targets_of(table, column);
  } else if (labels.multi_label) {
    examples.targets = multi_hot_of(table, column, labels);
    examples.multi_label_width = labels.num_labels();
  } else {
    examples.label_ids = label_ids_of(table, column, labels);
  }
  return examples;
}

}  // namespace hft::data
