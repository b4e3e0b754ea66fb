#include "hft/tokenize/bert_pre_tokenizer.h"

#include "hft/tokenize/unicode.h"  // is_whitespace, is_bert_punctuation

namespace hft::tokenize {

void BertPreTokenizer::split(const NormalizedText& text, const WordSpan& range, WordList& words) const {
  const uint32_t n = range.end;
  uint32_t word_begin = range.begin;
  auto close_word = [&](uint32_t end) {
    if (end > word_begin) words.add(word_begin, end);
  };
  for (uint32_t i = range.begin; i < n; ++i) {
    const char32_t c = text.chars[i];
    if (unicode::is_whitespace(c)) {
      close_word(i);
      word_begin = i + 1;
    } else if (unicode::is_bert_punctuation(c)) {
      close_word(i);
      words.add(i, i + 1);
      word_begin = i + 1;
    }
  }
  close_word(n);
}

}  // namespace hft::tokenize
