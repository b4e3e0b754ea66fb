#include "hft/data/label_space.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

#include "hft/data/data_error.h"  // DataError

namespace hft::data {
namespace {

// The value of an integer cell ("01" and " 1" are 1); nullopt when it is not an integer or lies
// outside int64 (where pandas would keep a Python int and torch could hold no such class).
std::optional<long long> integer_value(const std::string& cell) {
  const size_t begin = cell.find_first_not_of(" \t");
  if (begin == std::string::npos) return std::nullopt;
  const size_t end = cell.find_last_not_of(" \t") + 1;
  const std::string digits = cell.substr(begin, end - begin);
  char* stop = nullptr;
  errno = 0;
  const long long value = std::strtoll(digits.c_str(), &stop, 10);
  if (errno == ERANGE || stop != digits.c_str() + digits.size()) return std::nullopt;
  return value;
}

// The canonical name of an integer label, as Python's str(int) writes it.
std::string integer_name(const Table& train, const Column& column, size_t row) {
  const auto value = integer_value(column.cells[row]);
  if (!value)
    throw_row_error(train, static_cast<int64_t>(row),
                    "label '" + column.cells[row] + "' in column '" + column.name +
                        "' is an integer out of range; expected class labels between -9223372036854775808 and "
                        "9223372036854775807 (or names)");
  return std::to_string(*value);
}

void check_regression_targets(const Table& train, const Column& column) {
  for (size_t row = 0; row < column.cells.size(); ++row) {
    if (column.missing[row])
      throw_row_error(train, static_cast<int64_t>(row), "missing label in column '" + column.name + "'");
    regression_target(train, column, static_cast<int64_t>(row));
  }
}

// "0, 1, 2" for messages: at most the first few labels.
std::string some_labels(const std::vector<std::string>& labels) {
  constexpr size_t kShown = 5;
  std::vector<std::string> shown(labels.begin(), labels.begin() + std::min(labels.size(), kShown));
  return join_names(shown) + (labels.size() > kShown ? ", ..." : "");
}

// A column of integer labels with a few words among them (or the reverse) is a typo: `datasets`
// refuses it in JSON (the column changes type), and in csv/tsv it would make each stray word a
// class of its own. Names the first row of the rarer kind.
void check_one_kind(const Table& train, const Column& column) {
  std::vector<size_t> integers, words;
  for (size_t row = 0; row < column.cells.size(); ++row)
    if (!column.missing[row]) (integer_value(column.cells[row]) ? integers : words).push_back(row);
  if (integers.empty() || words.empty()) return;
  const bool stray_word = words.size() <= integers.size();
  const size_t row = stray_word ? words.front() : integers.front();
  std::set<std::string> others;
  for (size_t other : stray_word ? integers : words) others.insert(column.cells[other]);
  throw_row_error(train, static_cast<int64_t>(row),
                  "label '" + column.cells[row] + "' in column '" + column.name + "' is " +
                      (stray_word ? "not an integer" : "an integer") + ", unlike the column's other labels (" +
                      some_labels({others.begin(), others.end()}) + "); expected labels of one kind: " +
                      (stray_word ? "integers" : "names") + " throughout");
}

// Unique labels sorted as Python sorts the column's values: numbers by value, strings as strings.
std::vector<std::string> sorted_labels(const Table& train, const Column& column) {
  const bool numeric = column.kind != ColumnKind::kString;
  if (!numeric) check_one_kind(train, column);
  std::set<std::string> seen;
  std::vector<std::string> labels;
  for (size_t row = 0; row < column.cells.size(); ++row) {
    if (column.missing[row])
      throw_row_error(train, static_cast<int64_t>(row), "missing label in column '" + column.name + "'");
    const std::string name = column.kind == ColumnKind::kInt ? integer_name(train, column, row) : column.cells[row];
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

float regression_target(const Table& table, const Column& column, int64_t row) {
  const std::string& cell = column.cells[row];
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(cell.c_str(), &end);
  if (cell.empty() || end != cell.c_str() + cell.size())
    throw_row_error(table, row, "label '" + cell + "' in column '" + column.name + "' is not a number (regression)");
  if (!std::isfinite(static_cast<float>(value)))
    throw_row_error(table, row,
                    "label '" + cell + "' in column '" + column.name +
                        "' is not a finite float32 number; expected a regression target such as 3.8");
  return static_cast<float>(value);
}

std::optional<int64_t> LabelSpace::id_of(const std::string& cell) const {
  std::string name = cell;
  if (integer_labels) {
    const auto value = integer_value(cell);
    if (!value) return std::nullopt;
    name = std::to_string(*value);
  }
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return std::nullopt;
  return static_cast<int64_t>(it - names.begin());
}

bool unlabelled(const Column& column, int64_t row, const LabelSpace& labels) {
  return (column.kind == ColumnKind::kInt || labels.integer_labels) && integer_value(column.cells[row]) == -1LL;
}

LabelSpace label_space_of_names(std::vector<std::string> names) {
  LabelSpace space;
  space.integer_labels = !names.empty() && std::all_of(names.begin(), names.end(), [](const std::string& name) {
    const auto value = integer_value(name);
    return value && std::to_string(*value) == name;
  });
  space.names = std::move(names);
  return space;
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
