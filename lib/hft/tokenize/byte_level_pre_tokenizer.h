// ByteLevel (GPT-2, RoBERTa): split with the GPT-2 pattern (contractions, letters, numbers,
// other symbols, whitespace), then spell each word's UTF-8 bytes with 256 printable chars, so
// that the BPE vocabulary covers every possible input.
#pragma once

#include <array>

#include "hft/tokenize/pre_tokenizer.h"  // PreTokenizer
#include "hft/tokenize/regex.h"          // Regex

namespace hft::tokenize {

// GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the others (controls,
// space, ...) for U+0100 onwards in byte order. Space (0x20) becomes U+0120 'Ġ'.
const std::array<char32_t, 256>& byte_to_char();

struct ByteLevelOptions {
  bool add_prefix_space = false;  // a space before the text, so its first word is spelled as a later one
  bool use_regex = true;          // split with the GPT-2 pattern (false: the whole text is one word)
};

class ByteLevelPreTokenizer : public PreTokenizer {
 public:
  explicit ByteLevelPreTokenizer(ByteLevelOptions options);
  void split(const NormalizedText& text, const WordSpan& range, WordList& words) const override;
  bool adds_prefix_space() const { return options_.add_prefix_space; }
  const ByteLevelOptions& options() const { return options_; }

 private:
  ByteLevelOptions options_;
  Regex pattern_;
};

}  // namespace hft::tokenize
