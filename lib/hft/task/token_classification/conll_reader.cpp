#include "hft/task/token_classification/conll_reader.h"

#include <cstdint>
#include <vector>

#include "hft/data/data_error.h"  // DataError

namespace hft::task {
namespace {

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t at = 0;
  while (true) {
    at = line.find_first_not_of(" \t\r\f\v", at);
    if (at == std::string_view::npos) return fields;
    const size_t end = std::min(line.find_first_of(" \t\r\f\v", at), line.size());
    fields.push_back(line.substr(at, end - at));
    at = end;
  }
}

}  // namespace

TaggedSentences parse_conll(const std::string& file, std::string_view text) {
  TaggedSentences out;
  out.file = file;
  size_t columns = 0;  // of the first token line: 1 (words only) or more (the tag last)
  bool in_sentence = false;
  int64_t line_number = 0;
  for (size_t start = 0; start < text.size();) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    const std::vector<std::string_view> fields = fields_of(line);
    if (fields.empty() || fields.front() == "-DOCSTART-") {
      in_sentence = false;
      continue;
    }
    if (columns == 0) columns = fields.size();
    if ((columns == 1) != (fields.size() == 1))
      throw data::DataError(file, line_number,
                            "a line of " + std::to_string(fields.size()) + " column(s) in a file whose first token line has " +
                                std::to_string(columns) + "; expected every token line to be `TOKEN TAG` (the tag in the "
                                "last column) or, in a file without tags, `TOKEN` alone");
    if (!in_sentence) {
      out.words.emplace_back();
      if (columns > 1) out.tags.emplace_back();
      out.lines.push_back(line_number);
      in_sentence = true;
    }
    out.words.back().emplace_back(fields.front());
    if (columns > 1) out.tags.back().emplace_back(fields.back());
  }
  if (out.words.empty()) throw data::DataError(file, 0, "no sentence: expected CoNLL lines `TOKEN TAG`");
  out.has_tags = columns > 1;
  return out;
}

}  // namespace hft::task
