// BertPreTokenizer: words are separated by whitespace (dropped) and every punctuation
// character is a word of its own.
#pragma once

#include "hft/tokenize/pre_tokenizer.h"  // PreTokenizer

namespace hft::tokenize {

class BertPreTokenizer : public PreTokenizer {
 public:
  void split(const NormalizedText& text, const WordSpan& range, WordList& words) const override;
};

}  // namespace hft::tokenize
