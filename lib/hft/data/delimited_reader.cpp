#include "hft/data/delimited_reader.h"

#include <set>

#include "hft/data/data_error.h"  // DataError

namespace hft::data {
namespace {

struct Record {
  std::vector<std::string> fields;
  int64_t line = 0;  // 1-based line where the record starts
};

// Splits the text into records, one call at a time, following the states of pandas' tokenizer.
class RecordScanner {
 public:
  RecordScanner(const std::string& file, std::string_view text, const DelimitedFormat& format)
      : file_(file), text_(text), format_(format) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a UTF-8 byte order mark is not data
  }

  // Fills `record` with the next non-blank record; false at the end of the text.
  bool next(Record& record) {
    while (pos_ < text_.size()) {
      if (skip_blank_line()) continue;
      scan_record(record);
      return true;
    }
    return false;
  }

 private:
  bool is_blank_space(char c) const { return (c == ' ' || c == '\t') && c != format_.delimiter; }

  // Skips a line that is empty or holds only spaces; true when it did.
  bool skip_blank_line() {
    size_t end = pos_;
    while (end < text_.size() && is_blank_space(text_[end])) ++end;
    if (end < text_.size() && text_[end] != '\n' && text_[end] != '\r') return false;
    pos_ = end;
    consume_line_end();
    return true;
  }

  void consume_line_end() {
    if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
  }

  void scan_record(Record& record) {
    record.fields.assign(1, std::string());
    record.line = line_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n' || c == '\r') break;
      if (c == format_.delimiter) {
        record.fields.emplace_back();
        ++pos_;
      } else if (format_.quoting && c == '"' && record.fields.back().empty() && at_field_start()) {
        scan_quoted(record.fields.back());
      } else {
        record.fields.back() += c;
        ++pos_;
      }
    }
    consume_line_end();
  }

  bool at_field_start() const { return pos_ == line_start() || text_[pos_ - 1] == format_.delimiter; }

  size_t line_start() const {
    const size_t newline = pos_ == 0 ? std::string_view::npos : text_.rfind('\n', pos_ - 1);
    return newline == std::string_view::npos ? 0 : newline + 1;
  }

  // A field opened by '"' at pos_: up to the closing quote; "" is one quote; a quote followed by
  // anything other than a delimiter or line end lets the rest of the field continue unquoted.
  void scan_quoted(std::string& field) {
    const int64_t open_line = line_;
    const int64_t open_column = column_of(pos_);
    for (++pos_; pos_ < text_.size(); ++pos_) {
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field += '"';
          ++pos_;
          continue;
        }
        ++pos_;
        return;
      }
      if (c == '\n') ++line_;
      field += c;
    }
    throw DataError(file_, open_line, open_column, "unterminated quote: the field opened here never closes");
  }

  // 1-based column, in code points, of byte `at` on its line.
  int64_t column_of(size_t at) const {
    int64_t column = 1;
    for (size_t i = line_start(); i < at; ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    return column;
  }

  const std::string& file_;
  std::string_view text_;
  DelimitedFormat format_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

Table empty_table(const std::string& file, const std::vector<std::string>& names) {
  Table table;
  table.file = file;
  std::set<std::string> seen;
  for (const std::string& name : names) {
    if (!seen.insert(name).second) throw DataError(file, 1, "duplicate column name '" + name + "'");
    table.columns.push_back(Column{name, {}, {}, ColumnKind::kString});
  }
  return table;
}

void append_row(Table& table, const Record& record) {
  if (record.fields.size() != table.columns.size())
    throw DataError(table.file, record.line,
                    "expected " + std::to_string(table.columns.size()) + " fields (columns " +
                        join_names(table.column_names()) + "), found " + std::to_string(record.fields.size()));
  for (size_t i = 0; i < record.fields.size(); ++i) {
    Column& column = table.columns[i];
    const bool missing = is_missing_marker(record.fields[i]);
    column.cells.push_back(missing ? std::string() : record.fields[i]);
    column.missing.push_back(missing ? 1 : 0);
  }
  table.lines.push_back(record.line);
}

}  // namespace

bool is_missing_marker(std::string_view cell) {
  static const std::set<std::string_view> kMarkers = {
      "",     "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
      "<NA>", "N/A",  "NA",       "NULL", "NaN",    "None",     "n/a",  "nan",  "null"};
  return kMarkers.count(cell) > 0;
}

Table parse_delimited(const std::string& file, std::string_view text, const DelimitedFormat& format,
                      const std::vector<std::string>& names) {
  RecordScanner scanner(file, text, format);
  Record record;
  Table table;
  if (!names.empty()) {
    table = empty_table(file, names);
  } else {
    if (!scanner.next(record)) throw DataError(file, 0, "the file is empty; expected a header line and rows");
    table = empty_table(file, record.fields);
    table.header_line = record.line;
  }
  while (scanner.next(record)) append_row(table, record);
  for (Column& column : table.columns) column.kind = infer_kind(column);
  return table;
}

}  // namespace hft::data
