#include "hft/data/read_table.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hft/data/data_error.h"        // DataError
#include "hft/data/delimited_reader.h"  // parse_delimited
#include "hft/data/json_reader.h"       // parse_json, parse_json_lines
#include "hft/data/utf8_check.h"        // find_invalid_utf8

namespace hft::data {
namespace {

std::string extension_of(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

Table parse_by_extension(const std::string& path, const std::string& text, const ReadOptions& options) {
  const std::string ext = extension_of(path);
  if (ext == ".csv") return parse_delimited(path, text, {',', true}, options.column_names);
  if (ext == ".tsv") return parse_delimited(path, text, {'\t', false}, options.column_names);
  if (ext == ".jsonl") return parse_json_lines(path, text);
  if (ext == ".json") return parse_json(path, text, options.json_field);
  throw DataError(path, 0, "unsupported file type '" + ext + "'; expected .csv, .tsv, .json or .jsonl");
}

}  // namespace

std::string read_file_bytes(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) throw DataError(path, 0, "no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path, 0, std::string("cannot read: ") + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Table read_table(const std::string& path, const ReadOptions& options) {
  const std::string text = read_file_bytes(path);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw DataError(path, 0, "the file is empty");
  if (auto at = find_invalid_utf8(text)) throw DataError(path, at->line, at->column, "invalid UTF-8");
  Table table = parse_by_extension(path, text, options);
  if (table.num_rows() == 0) throw DataError(path, 0, "no rows (only a header?)");
  return table;
}

}  // namespace hft::data
