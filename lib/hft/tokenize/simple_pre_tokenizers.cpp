#include "hft/tokenize/simple_pre_tokenizers.h"

#include <utf8proc.h>  // utf8proc_category

#include "hft/tokenize/unicode.h"  // is_whitespace, is_bert_punctuation, append_utf8

namespace hft::tokenize {
namespace {

// Rust's char::is_numeric: general categories Nd, Nl, No.
bool is_numeric(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return category == UTF8PROC_CATEGORY_ND || category == UTF8PROC_CATEGORY_NL || category == UTF8PROC_CATEGORY_NO;
}

// Regex \w in Rust's Unicode mode: letters, marks, decimal digits, letter numbers, connector
// punctuation, joiners.
bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_PC:
      return true;
    default:
      return c == 0x200C || c == 0x200D;
  }
}

}  // namespace

void WhitespaceSplitPreTokenizer::split(const NormalizedText& text, const WordSpan& range,
                                        WordList& words) const {
  split_pieces(char_matches(text.chars, range.begin, range.end, unicode::is_whitespace), SplitBehavior::kRemoved, words);
}

void WhitespacePreTokenizer::split(const NormalizedText& text, const WordSpan& range,
                                   WordList& words) const {
  // 0: whitespace, 1: word char, 2: anything else; a word is a run of one class other than 0.
  auto kind = [&](uint32_t i) { return unicode::is_whitespace(text.chars[i]) ? 0 : is_word_char(text.chars[i]) ? 1 : 2; };
  for (uint32_t i = range.begin; i < range.end;) {
    const int k = kind(i);
    uint32_t j = i + 1;
    while (j < range.end && kind(j) == k) ++j;
    if (k != 0) words.add(i, j);
    i = j;
  }
}

void PunctuationPreTokenizer::split(const NormalizedText& text, const WordSpan& range,
                                    WordList& words) const {
  split_pieces(char_matches(text.chars, range.begin, range.end, unicode::is_bert_punctuation), behavior_, words);
}

void DigitsPreTokenizer::split(const NormalizedText& text, const WordSpan& range, WordList& words) const {
  split_pieces(char_matches(text.chars, range.begin, range.end, is_numeric),
               individual_digits_ ? SplitBehavior::kIsolated : SplitBehavior::kContiguous, words);
}

SplitPreTokenizer::SplitPreTokenizer(std::u32string literal, std::unique_ptr<Regex> regex, SplitBehavior behavior,
                                     bool invert)
    : literal_(std::move(literal)), regex_(std::move(regex)), behavior_(behavior), invert_(invert) {}

std::vector<MatchPiece> SplitPreTokenizer::find(const NormalizedText& text, const WordSpan& range) const {
  std::vector<std::pair<uint32_t, uint32_t>> matches;  // char ranges
  if (regex_) {
    std::string utf8;
    std::vector<uint32_t> char_at_byte;  // for each byte, its char's index; one more at the end
    for (uint32_t i = range.begin; i < range.end; ++i) {
      const size_t before = utf8.size();
      unicode::append_utf8(text.chars[i], utf8);
      char_at_byte.insert(char_at_byte.end(), utf8.size() - before, i);
    }
    char_at_byte.push_back(range.end);
    regex_->for_each_match(utf8, [&](size_t b, size_t e) { matches.emplace_back(char_at_byte[b], char_at_byte[e]); });
  } else if (!literal_.empty()) {
    const std::u32string_view view(text.chars);
    for (uint32_t i = range.begin; i + literal_.size() <= range.end;) {
      if (view.compare(i, literal_.size(), literal_) == 0) {
        matches.emplace_back(i, i + static_cast<uint32_t>(literal_.size()));
        i += static_cast<uint32_t>(literal_.size());
      } else {
        ++i;
      }
    }
  }
  std::vector<MatchPiece> pieces;
  uint32_t gap = range.begin;
  for (const auto& [b, e] : matches) {
    if (gap < b) pieces.push_back({gap, b, invert_});
    pieces.push_back({b, e, !invert_});
    gap = e;
  }
  if (gap < range.end) pieces.push_back({gap, range.end, invert_});
  return pieces;
}

void SplitPreTokenizer::split(const NormalizedText& text, const WordSpan& range, WordList& words) const {
  split_pieces(find(text, range), behavior_, words);
}

void PreTokenizerSequence::split(const NormalizedText& text, const WordSpan& range, WordList& words) const {
  WordList current, next;
  current.add(range.begin, range.end);
  for (const auto& step : steps_) {
    next.clear();
    for (const WordSpan& word : current.spans) {
      if (word.is_mapped()) {
        next.add_copy(current, word);
      } else {
        step->split(text, WordSpan{word.begin, word.end}, next);
      }
    }
    std::swap(current, next);
  }
  for (const WordSpan& word : current.spans) words.add_copy(current, word);
}

}  // namespace hft::tokenize
