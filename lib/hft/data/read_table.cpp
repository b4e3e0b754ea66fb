#include "hft/data/read_table.h"

#include "hft/data/data_error.h"        // DataError
#include "hft/data/data_file.h"         // data_format, read_file_bytes
#include "hft/data/delimited_reader.h"  // parse_delimited
#include "hft/data/json_reader.h"       // parse_json, parse_json_lines
#include "hft/data/utf8_check.h"        // find_invalid_utf8

namespace hft::data {
namespace {

Table parse_by_extension(const std::string& path, const std::string& text, const ReadOptions& options) {
  const std::string ext = data_format(path);
  if (ext == ".csv") return parse_delimited(path, text, {',', true}, options.column_names);
  if (ext == ".tsv") return parse_delimited(path, text, {'\t', false}, options.column_names);
  if (ext == ".jsonl") return parse_json_lines(path, text);
  if (ext == ".json") return parse_json(path, text, options.json_field);
  throw DataError(path, 0, "unsupported file type '" + ext + "'; expected .csv, .tsv, .json or .jsonl (or one of them .gz)");
}

}  // namespace

Table read_table(const std::string& path, const ReadOptions& options) {
  const std::string text = read_file_bytes(path);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw DataError(path, 0, "the file is empty");
  if (auto at = find_invalid_utf8(text)) throw DataError(path, at->line, at->column, "invalid UTF-8");
  Table table = parse_by_extension(path, text, options);
  if (table.num_rows() == 0) throw DataError(path, 0, "no rows (only a header?)");
  return table;
}

}  // namespace hft::data
