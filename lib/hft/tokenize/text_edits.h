// The edits normalizers are made of, each rebuilding a NormalizedText so that every character
// keeps the origin of the character it came from (inserted ones: of their neighbour).
#pragma once

#include <string>

#include "hft/tokenize/normalized_text.h"  // NormalizedText

namespace hft::tokenize::edits {

void clean_bert_text(NormalizedText& text);       // drop controls, NUL, U+FFFD; whitespace -> ' '
void space_chinese_chars(NormalizedText& text);   // ' ' before and after each CJK ideograph
void decompose_nfd(NormalizedText& text);         // canonical decomposition + mark reordering
void decompose_nfkd(NormalizedText& text);        // compatibility decomposition + mark reordering
// Canonical composition of decomposed text (NFC = NFD + compose, NFKC = NFKD + compose). A char
// made of several stands for its first.
void compose(NormalizedText& text);
// Every non-overlapping occurrence of `pattern` (left to right) becomes `content`; the new chars
// stand for the last chars of the occurrence (the removed ones are its first).
void replace(NormalizedText& text, const std::u32string& pattern, const std::u32string& content);
void drop_nonspacing_marks(NormalizedText& text); // remove category Mn (BertNormalizer)
void drop_marks(NormalizedText& text);            // remove Mn, Mc and Me (StripAccents)
void lowercase(NormalizedText& text);             // full lowercase mapping
void strip_whitespace(NormalizedText& text, bool left, bool right);
void prepend(NormalizedText& text, const std::u32string& prefix);  // only to non-empty text

}  // namespace hft::tokenize::edits
