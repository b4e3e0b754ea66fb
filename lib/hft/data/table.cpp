#include "hft/data/table.h"

#include <cerrno>
#include <cstdlib>

#include "hft/data/data_error.h"  // DataError

namespace hft::data {
namespace {

std::string trimmed(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

bool is_integer(const std::string& text) {
  const std::string t = trimmed(text);
  size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
  if (i == t.size()) return false;
  for (; i < t.size(); ++i)
    if (t[i] < '0' || t[i] > '9') return false;
  return true;
}

bool is_number(const std::string& text) {
  const std::string t = trimmed(text);
  if (t.empty()) return false;
  char* end = nullptr;
  errno = 0;
  std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size();
}

}  // namespace

std::vector<std::string> Table::column_names() const {
  std::vector<std::string> names;
  for (const Column& column : columns) names.push_back(column.name);
  return names;
}

std::optional<size_t> Table::find(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return i;
  return std::nullopt;
}

const Column& Table::at(const std::string& name) const {
  if (auto i = find(name)) return columns[*i];
  throw DataError(file, header_line, "no column '" + name + "'; the file has: " + join_names(column_names()));
}

void keep_first_rows(Table& table, int64_t n) {
  if (n < 0 || n >= table.num_rows()) return;
  table.lines.resize(n);
  for (Column& column : table.columns) {
    column.cells.resize(n);
    column.missing.resize(n);
  }
}

void reorder_rows(Table& table, const std::vector<int64_t>& order) {
  const auto reordered = [&](const auto& values) {
    std::remove_cvref_t<decltype(values)> out(order.size());
    for (size_t i = 0; i < order.size(); ++i) out[i] = values[order[i]];
    return out;
  };
  table.lines = reordered(table.lines);
  for (Column& column : table.columns) {
    column.cells = reordered(column.cells);
    column.missing = reordered(column.missing);
  }
}

ColumnKind infer_kind(const Column& column) {
  bool all_int = true, any_value = false, any_missing = false;
  for (size_t i = 0; i < column.cells.size(); ++i) {
    if (column.missing[i]) {
      any_missing = true;
      continue;
    }
    any_value = true;
    if (all_int && is_integer(column.cells[i])) continue;
    all_int = false;
    if (!is_number(column.cells[i])) return ColumnKind::kString;
  }
  if (!any_value) return ColumnKind::kString;
  return all_int && !any_missing ? ColumnKind::kInt : ColumnKind::kFloat;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

void throw_row_error(const Table& table, int64_t row, const std::string& message) {
  const int64_t line = table.lines[row];
  if (line > 0) throw DataError(table.file, line, message);
  throw DataError(table.file, 0, "record " + std::to_string(row + 1) + ": " + message);
}

}  // namespace hft::data
