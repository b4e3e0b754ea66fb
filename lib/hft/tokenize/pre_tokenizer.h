// A pre-tokenizer splits normalized text into words, which the model then tokenizes one by
// one. One implementation per `tokenizers` pre-tokenizer type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hft/tokenize/normalized_text.h"  // NormalizedText

namespace hft::tokenize {

// A word: the code points [begin, end) of the normalized text. A pre-tokenizer that rewrites
// words (ByteLevel: one char per UTF-8 byte) gives the rewritten chars in `mapped`, and for each
// of them the index in the normalized text it came from; `mapped` empty means the word as is.
struct WordSpan {
  uint32_t begin;
  uint32_t end;
  std::u32string mapped = {};
  std::vector<uint32_t> mapped_from = {};
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Appends the words of text[range.begin, range.end), in order, to `words` (a piece of a
  // previous pre-tokenizer's split, or the whole text).
  virtual void split(const NormalizedText& text, const WordSpan& range, std::vector<WordSpan>& words) const = 0;
};

}  // namespace hft::tokenize
