// Sentences of pre-split words with a tag per word, as run_ner.py's data sets hold them, read
// from JSON/JSONL (a list of words and a list of tags per record), CSV/TSV (cells holding JSON
// lists, or words separated by spaces) or CoNLL text (conll_reader.h). No LibTorch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hft::task {

struct TaggedSentences {
  std::string file;                             // for messages
  std::vector<std::vector<std::string>> words;  // [sentences][words]
  std::vector<std::vector<std::string>> tags;   // [sentences][words]; empty when the file has no tags
  std::vector<int64_t> lines;                   // [sentences] the line a sentence starts on (0: unknown)
  bool has_tags = false;

  int64_t size() const { return static_cast<int64_t>(words.size()); }
  void keep_first(int64_t n);  // max_*_samples
};

// The columns to read; unset: run_ner.py's choice, `tokens` (else the first column) for the words
// and `ner_tags` (else the second column) for the tags.
struct SentenceColumns {
  std::optional<std::string> words;
  std::optional<std::string> tags;
};

// `tags_required`: a file without the tag column is a DataError (training and evaluation data);
// else it is read without tags (prediction). Throws DataError (file:line) for a sentence whose
// tag list is not as long as its word list, a cell that is not a list, a missing column.
TaggedSentences read_tagged_sentences(const std::string& path, const SentenceColumns& columns, bool tags_required);

}  // namespace hft::task
