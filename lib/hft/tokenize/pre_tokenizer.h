// A pre-tokenizer splits normalized text into words, which the model then tokenizes one by
// one. One implementation per `tokenizers` pre-tokenizer type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hft/tokenize/normalized_text.h"  // NormalizedText

namespace hft::tokenize {

// A word: the code points [begin, end) of the normalized text. A pre-tokenizer that rewrites
// words (ByteLevel: one char per UTF-8 byte; Metaspace: "▁" for spaces) spells the word as
// WordList::mapped[mapped_begin, mapped_end) instead; an empty mapped range means the word as is.
struct WordSpan {
  uint32_t begin;
  uint32_t end;
  uint32_t mapped_begin = 0;
  uint32_t mapped_end = 0;

  bool is_mapped() const { return mapped_end > mapped_begin; }
};

// The words of a text in order, and the rewritten chars of the mapped ones, each with the index
// of the normalized char it stands for. One buffer for all words, reused from text to text, so
// that splitting a text allocates nothing once the buffers have grown.
struct WordList {
  std::vector<WordSpan> spans;
  std::u32string mapped;
  std::vector<uint32_t> mapped_from;

  void clear();
  void add(uint32_t begin, uint32_t end) { spans.push_back({begin, end}); }
  // The word spelled mapped[mapped_begin, mapped_end) (not empty); it spans the normalized
  // chars its first and last mapped chars stand for.
  void add_mapped(uint32_t mapped_begin, uint32_t mapped_end);
  // Appends `word` of `other`, its mapped chars included.
  void add_copy(const WordList& other, const WordSpan& word);
  std::u32string_view chars_of(const WordSpan& word) const;  // a mapped word's chars
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Appends the words of text[range.begin, range.end), in order, to `words` (a piece of a
  // previous pre-tokenizer's split, or the whole text).
  virtual void split(const NormalizedText& text, const WordSpan& range, WordList& words) const = 0;
};

}  // namespace hft::tokenize
