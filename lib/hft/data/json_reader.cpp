#include "hft/data/json_reader.h"

#include <nlohmann/json.hpp>

#include <map>

#include "hft/data/data_error.h"  // DataError

namespace hft::data {
namespace {

using json = nlohmann::ordered_json;

// Builds a Table from records added one at a time, growing columns as new keys appear.
class TableBuilder {
 public:
  explicit TableBuilder(const std::string& file) { table_.file = file; }

  void add(const json& record, int64_t line) {
    if (!record.is_object()) throw DataError(table_.file, line, "expected a JSON object (one record), found " +
                                                                    std::string(record.type_name()));
    for (Column& column : table_.columns) {
      column.cells.emplace_back();
      column.missing.push_back(1);
    }
    for (const auto& [key, value] : record.items()) set(column_for(key), value);
    table_.lines.push_back(line);
  }

  Table finish() {
    for (Column& column : table_.columns) column.kind = kind_of(column.name);
    return std::move(table_);
  }

 private:
  Column& column_for(const std::string& key) {
    auto [it, added] = index_.emplace(key, table_.columns.size());
    if (added) {
      const size_t rows = table_.lines.size() + 1;
      table_.columns.push_back(Column{key, std::vector<std::string>(rows), std::vector<uint8_t>(rows, 1), {}});
    }
    return table_.columns[it->second];
  }

  void set(Column& column, const json& value) {
    if (value.is_null()) return;
    column.cells.back() = value.is_string() ? value.get<std::string>() : value.dump();
    column.missing.back() = 0;
    note_type(column.name, value);
  }

  // JSON types decide the kind: all integers -> kInt, all numbers -> kFloat, all arrays ->
  // kList, else kString.
  void note_type(const std::string& name, const json& value) {
    const ColumnKind kind = value.is_number_integer() ? ColumnKind::kInt
                            : value.is_number()       ? ColumnKind::kFloat
                            : value.is_array()        ? ColumnKind::kList
                                                      : ColumnKind::kString;
    auto [it, added] = kinds_.emplace(name, kind);
    if (added || kind == it->second) return;
    const bool numbers = kind != ColumnKind::kString && kind != ColumnKind::kList &&
                         it->second != ColumnKind::kString && it->second != ColumnKind::kList;
    it->second = numbers ? ColumnKind::kFloat : ColumnKind::kString;
  }

  ColumnKind kind_of(const std::string& name) const {
    auto it = kinds_.find(name);
    return it == kinds_.end() ? ColumnKind::kString : it->second;
  }

  Table table_;
  std::map<std::string, size_t> index_;
  std::map<std::string, ColumnKind> kinds_;
};

// Line and column of byte offset `at`.
std::pair<int64_t, int64_t> position_of(std::string_view text, size_t at) {
  int64_t line = 1, column = 1;
  for (size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') line++, column = 1;
    else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return {line, column};
}

// Records hold text, numbers and label lists; nothing legitimate nests anywhere near this deep.
// The bound keeps parsing and printing values (both recursive) off the end of the stack.
constexpr int kMaxNesting = 100;

// The offset of the first bracket nested deeper than kMaxNesting (outside strings), or npos.
size_t too_deep_at(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;  // the escaped character cannot end the string
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

json parse_or_throw(const std::string& file, std::string_view text, int64_t first_line) {
  if (const size_t at = too_deep_at(text); at != std::string_view::npos) {
    auto [line, column] = position_of(text, at);
    throw DataError(file, first_line + line - 1, column,
                    "JSON nested more than " + std::to_string(kMaxNesting) +
                        " levels deep; expected records of text, numbers and label lists");
  }
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    const size_t at = error.byte > 0 ? error.byte - 1 : 0;
    auto [line, column] = position_of(text, at);
    throw DataError(file, first_line + line - 1, column, "invalid JSON");
  } catch (const json::exception& error) {  // a number out of range, ...
    throw DataError(file, first_line, std::string("invalid JSON: ") + error.what());
  }
}

}  // namespace

Table parse_json_lines(const std::string& file, std::string_view text) {
  TableBuilder builder(file);
  int64_t line = 1;
  for (size_t begin = 0; begin < text.size(); ++line) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view content = text.substr(begin, end - begin);
    if (content.find_first_not_of(" \t\r") != std::string_view::npos)
      builder.add(parse_or_throw(file, content, line), line);
    begin = end + 1;
  }
  return builder.finish();
}

Table parse_json(const std::string& file, std::string_view text, const std::string& field) {
  json document = parse_or_throw(file, text, 1);
  const json* records = nullptr;
  if (!field.empty()) {
    if (!document.is_object() || !document.contains(field))
      throw DataError(file, 0, "no field '" + field + "' holding the records");
    records = &document[field];
  } else if (document.is_array()) {
    records = &document;
  } else if (document.is_object()) {
    for (const auto& [key, value] : document.items())
      if (value.is_array()) {
        records = &value;
        break;
      }
  }
  if (records == nullptr || !records->is_array())
    throw DataError(file, 0, "no list of records; expected a JSON list of objects, or a mapping with one list field");
  TableBuilder builder(file);
  for (const json& record : *records) builder.add(record, 0);  // lines are not known inside a document
  return builder.finish();
}

}  // namespace hft::data
