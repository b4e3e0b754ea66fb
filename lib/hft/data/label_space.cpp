#include "hft/data/label_space.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

#include "hft/data/data_error.h"  // DataError

namespace hft::data {
namespace {

// The canonical name of a label cell: integers as Python's str(int) writes them.
std::string canonical(const std::string& cell, bool integer_labels) {
  return integer_labels ? std::to_string(std::stoll(cell)) : cell;
}

void check_regression_targets(const Table& train, const Column& column) {
  for (size_t row = 0; row < column.cells.size(); ++row) {
    const std::string& cell = column.cells[row];
    if (column.missing[row])
      throw_row_error(train, static_cast<int64_t>(row), "missing label in column '" + column.name + "'");
    char* end = nullptr;
    std::strtod(cell.c_str(), &end);
    if (cell.empty() || end != cell.c_str() + cell.size())
      throw_row_error(train, static_cast<int64_t>(row),
                      "label '" + cell + "' in column '" + column.name + "' is not a number (regression)");
  }
}

// Unique labels sorted as Python sorts the column's values: numbers by value, strings as strings.
std::vector<std::string> sorted_labels(const Table& train, const Column& column) {
  const bool numeric = column.kind != ColumnKind::kString;
  std::set<std::string> seen;
  std::vector<std::string> labels;
  for (size_t row = 0; row < column.cells.size(); ++row) {
    if (column.missing[row])
      throw_row_error(train, static_cast<int64_t>(row), "missing label in column '" + column.name + "'");
    const std::string name = canonical(column.cells[row], column.kind == ColumnKind::kInt);
    if (column.kind == ColumnKind::kInt && name == "-1") continue;  // unlabeled row
    if (seen.insert(name).second) labels.push_back(name);
  }
  if (numeric)
    std::stable_sort(labels.begin(), labels.end(), [](const std::string& a, const std::string& b) {
      return std::strtod(a.c_str(), nullptr) < std::strtod(b.c_str(), nullptr);
    });
  else
    std::sort(labels.begin(), labels.end());
  return labels;
}

// The labels of every list, as Python's str() writes them, sorted as strings.
std::vector<std::string> sorted_list_labels(const Table& train, const Column& column) {
  std::set<std::string> seen;
  for (size_t row = 0; row < column.cells.size(); ++row)
    for (const std::string& label : list_labels(train, column, static_cast<int64_t>(row))) seen.insert(label);
  return {seen.begin(), seen.end()};
}

}  // namespace

std::vector<std::string> list_labels(const Table& table, const Column& column, int64_t row) {
  const auto list = nlohmann::json::parse(column.cells[row], nullptr, false);
  if (column.missing[row] || !list.is_array())
    throw_row_error(table, row, "label in column '" + column.name + "' is not a list (multi-label)");
  std::vector<std::string> labels;
  for (const auto& label : list) labels.push_back(label.is_string() ? label.get<std::string>() : label.dump());
  return labels;
}

std::map<std::string, int64_t> LabelSpace::label2id() const {
  std::map<std::string, int64_t> ids;
  for (size_t i = 0; i < names.size(); ++i) ids[names[i]] = static_cast<int64_t>(i);
  return ids;
}

std::optional<int64_t> LabelSpace::id_of(const std::string& cell) const {
  std::string name = cell;
  if (integer_labels) {
    char* end = nullptr;
    const long long value = std::strtoll(cell.c_str(), &end, 10);
    if (cell.empty() || end != cell.c_str() + cell.size()) return std::nullopt;
    name = std::to_string(value);
  }
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return std::nullopt;
  return static_cast<int64_t>(it - names.begin());
}

LabelSpace build_label_space(const Table& train, const std::string& label_column, std::optional<bool> regression) {
  const Column& column = train.at(label_column);
  LabelSpace space;
  space.regression = regression.value_or(column.kind == ColumnKind::kFloat);
  if (space.regression) {
    check_regression_targets(train, column);
    return space;
  }
  space.integer_labels = column.kind == ColumnKind::kInt;
  space.multi_label = column.kind == ColumnKind::kList;
  space.names = space.multi_label ? sorted_list_labels(train, column) : sorted_labels(train, column);
  if (space.names.size() < 2)
    throw DataError(train.file, 0, "column '" + label_column + "' holds " + std::to_string(space.names.size()) +
                                       " distinct label(s); classification needs at least two");
  return space;
}

}  // namespace hft::data
