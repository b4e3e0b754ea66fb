// hft::data::Table: a data file as columns of text cells, the way `datasets` sees it before any
// preprocessing. Cells keep the file's text exactly (JSON values as their JSON text, strings
// unquoted); a missing value is an empty cell with its `missing` flag set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hft::data {

// What `datasets` (pandas / pyarrow) would infer for a column's values.
enum class ColumnKind { kInt, kFloat, kString, kList };  // kList: JSON arrays (multi-label)

struct Column {
  std::string name;
  std::vector<std::string> cells;  // [rows]
  std::vector<uint8_t> missing;    // [rows] 1 where the file has no value (pandas NaN / JSON null)
  ColumnKind kind = ColumnKind::kString;
};

struct Table {
  std::string file;                // the path it was read from, for messages
  std::vector<Column> columns;
  std::vector<int64_t> lines;      // [rows] 1-based line of the file where each row starts
  int64_t header_line = 0;         // the line naming the columns (1 for csv/tsv with a header); 0: none

  int64_t num_rows() const { return static_cast<int64_t>(lines.size()); }
  std::vector<std::string> column_names() const;
  // Index of the column called `name`, or nullopt.
  std::optional<size_t> find(const std::string& name) const;
  // The column called `name`; throws DataError listing the columns the file has.
  const Column& at(const std::string& name) const;
};

// Keeps the first `n` rows (max_train_samples and friends); no-op when the table is shorter.
void keep_first_rows(Table& table, int64_t n);

// Reorders the rows: row i becomes the old row order[i] (a permutation of 0..rows-1).
void reorder_rows(Table& table, const std::vector<int64_t>& order);

// Infers a column's kind from its non-missing cells as pandas does for text files: all
// integers -> kInt (kFloat if any cell is missing), all numbers -> kFloat, else kString.
ColumnKind infer_kind(const Column& column);

// Throws a DataError about one row: "file:line: message", or "file: record N: message" where
// lines are not known (records inside one JSON document).
[[noreturn]] void throw_row_error(const Table& table, int64_t row, const std::string& message);

// Joins names for messages: "a, b, c".
std::string join_names(const std::vector<std::string>& names);

}  // namespace hft::data

