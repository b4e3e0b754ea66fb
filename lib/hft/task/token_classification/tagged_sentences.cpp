#include "hft/task/token_classification/tagged_sentences.h"

#include <nlohmann/json.hpp>

#include "hft/data/data_error.h"                          // DataError
#include "hft/data/data_file.h"                           // data_format, read_file_bytes
#include "hft/data/read_table.h"                          // read_table
#include "hft/data/utf8_check.h"                          // find_invalid_utf8
#include "hft/task/token_classification/conll_reader.h"   // parse_conll

namespace hft::task {
namespace {

bool is_conll(const std::string& path) {
  const std::string format = data::data_format(path);
  return format == ".conll" || format == ".txt";
}

// A cell's list: a JSON array (JSON files keep one as its text; a CSV cell may hold one), its
// strings as they are and other values (integer tags) as their JSON text; else words split on
// whitespace.
std::vector<std::string> list_of(const data::Table& table, int64_t row, const std::string& cell, const char* what) {
  if (cell.find_first_not_of(" \t") != std::string::npos && cell[cell.find_first_not_of(" \t")] == '[') {
    const nlohmann::json list = nlohmann::json::parse(cell, nullptr, /*allow_exceptions=*/false);
    if (!list.is_array()) data::throw_row_error(table, row, std::string("the ") + what + " cell is not a JSON list: " + cell);
    std::vector<std::string> out;
    for (const auto& item : list) out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
    return out;
  }
  std::vector<std::string> out;
  for (size_t at = cell.find_first_not_of(" \t"); at != std::string::npos; at = cell.find_first_not_of(" \t", at)) {
    const size_t end = std::min(cell.find_first_of(" \t", at), cell.size());
    out.push_back(cell.substr(at, end - at));
    at = end;
  }
  return out;
}

// run_ner.py: `tokens` if the file has it, else the first column; `ner_tags`, else the second.
std::string words_column(const data::Table& table, const SentenceColumns& columns) {
  if (columns.words) return table.at(*columns.words).name;
  return table.find("tokens") ? "tokens" : table.columns.front().name;
}

std::optional<std::string> tags_column(const data::Table& table, const SentenceColumns& columns, bool required) {
  if (columns.tags && (required || table.find(*columns.tags))) return table.at(*columns.tags).name;
  if (columns.tags) return std::nullopt;
  if (table.find("ner_tags")) return "ner_tags";
  if (table.columns.size() >= 2) return table.columns[1].name;
  if (required)
    throw data::DataError(table.file, 0, "one column only (" + table.columns.front().name +
                                             "): expected a column of tags as well (label_column_name)");
  return std::nullopt;
}

TaggedSentences from_table(const data::Table& table, const SentenceColumns& columns, bool tags_required) {
  TaggedSentences out;
  out.file = table.file;
  const data::Column& words = table.at(words_column(table, columns));
  const std::optional<std::string> tag_name = tags_column(table, columns, tags_required);
  const data::Column* tags = tag_name ? &table.at(*tag_name) : nullptr;
  out.has_tags = tags != nullptr;
  for (int64_t row = 0; row < table.num_rows(); ++row) {
    if (words.missing[row]) data::throw_row_error(table, row, "no " + words.name + " (null or missing)");
    out.words.push_back(list_of(table, row, words.cells[row], "words"));
    out.lines.push_back(table.lines[row]);
    if (!tags) continue;
    if (tags->missing[row]) data::throw_row_error(table, row, "no " + tags->name + " (null or missing)");
    out.tags.push_back(list_of(table, row, tags->cells[row], "tags"));
    if (out.tags.back().size() != out.words.back().size())
      data::throw_row_error(table, row, std::to_string(out.words.back().size()) + " words (" + words.name + ") but " +
                                            std::to_string(out.tags.back().size()) + " tags (" + tags->name +
                                            "); expected one tag per word");
  }
  return out;
}

}  // namespace

void TaggedSentences::keep_first(int64_t n) {
  if (n >= size()) return;
  words.resize(n);
  lines.resize(n);
  if (has_tags) tags.resize(n);
}

TaggedSentences read_tagged_sentences(const std::string& path, const SentenceColumns& columns, bool tags_required) {
  if (!is_conll(path)) return from_table(data::read_table(path), columns, tags_required);
  const std::string text = data::read_file_bytes(path);
  if (auto at = data::find_invalid_utf8(text)) throw data::DataError(path, at->line, at->column, "invalid UTF-8");
  TaggedSentences sentences = parse_conll(path, text);
  if (tags_required && !sentences.has_tags)
    throw data::DataError(path, sentences.lines.front(), "a token without a tag; expected `TOKEN TAG` lines");
  return sentences;
}

}  // namespace hft::task
