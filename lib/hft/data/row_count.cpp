#include "hft/data/row_count.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hft/data/data_error.h"

namespace hft::data {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path, 0, std::string("cannot read: ") + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Records of a delimited file; quotes open multi-line fields only in csv (GLUE tsv files keep
// quote characters literally, as `datasets` reads them with quoting disabled).
int64_t count_delimited_records(const std::string& text, bool quotes_span_lines) {
  int64_t records = 0;
  bool in_quotes = false, line_has_content = false;
  for (char c : text) {
    if (quotes_span_lines && c == '"') in_quotes = !in_quotes;
    if (c == '\n' && !in_quotes) {
      records += line_has_content ? 1 : 0;
      line_has_content = false;
    } else if (c != '\r') {
      line_has_content = true;
    }
  }
  return records + (line_has_content ? 1 : 0);
}

int64_t count_json_lines(const std::string& text) {
  int64_t rows = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.find_first_not_of(" \t\r") != std::string::npos) ++rows;
  return rows;
}

int64_t count_json_records(const std::string& path, const std::string& text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return count_json_lines(text);  // JSON Lines in a .json file, as datasets allows
  if (doc.is_array()) return static_cast<int64_t>(doc.size());
  if (doc.is_object())
    for (const auto& [key, value] : doc.items())
      if (value.is_array()) return static_cast<int64_t>(value.size());
  throw DataError(path, 0, "no list of records; expected a JSON list, or a mapping with one list field");
}

}  // namespace

int64_t count_rows(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  const std::string text = read_all(path);
  if (ext == ".jsonl") return count_json_lines(text);
  if (ext == ".json") return count_json_records(path, text);
  const int64_t records = count_delimited_records(text, ext == ".csv");
  return records > 0 ? records - 1 : 0;  // the header
}

}  // namespace hft::data
