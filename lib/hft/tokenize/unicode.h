// Unicode facts the tokenizers need, answered as the Rust `tokenizers` library answers them
// (its char::is_whitespace, unicode_categories, unicode-normalization), through utf8proc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hft::tokenize::unicode {

// Decodes UTF-8; returns false (and the byte offset of the first bad sequence) on invalid
// input: overlong forms, surrogates and code points above U+10FFFF are invalid, as in Rust.
bool decode_utf8(std::string_view text, std::u32string& out, size_t* bad_offset = nullptr);
void append_utf8(char32_t c, std::string& out);
std::string to_utf8(std::u32string_view chars);

// Rust char::is_whitespace (the White_Space property).
bool is_whitespace(char32_t c);
// General category C other than Cn and Cs: Cc, Cf, Co (what BertNormalizer's clean_text drops,
// less \t \n \r, which it treats as whitespace).
bool is_other_control_format_private(char32_t c);
// Unicode punctuation (Pc Pd Ps Pe Pi Pf Po) or ASCII punctuation ($ + < = > ^ ` | ~ included).
bool is_bert_punctuation(char32_t c);
// The CJK Unified Ideographs blocks BERT puts spaces around.
bool is_chinese_char(char32_t c);
// General category Mn (what BertNormalizer's strip_accents drops after NFD).
bool is_mark_nonspacing(char32_t c);
// General category M: Mn, Mc, Me (what the StripAccents normalizer drops).
bool is_mark(char32_t c);

// Canonical decomposition of one code point (NFD without reordering); returns the count
// written to out (at most 4 for any assigned character).
int decompose_canonical(char32_t c, char32_t out[8]);
// Compatibility decomposition (NFKD without reordering): at most 18 code points (U+FDFA).
int decompose_compatibility(char32_t c, char32_t out[32]);
// Canonical composition of decomposed code points in place (NFC's second step); returns the
// new count.
size_t compose(char32_t* chars, size_t count);
// Canonical combining class (0 for starters).
int combining_class(char32_t c);
// Full lowercase mapping as Rust's char::to_lowercase: one or two code points.
int to_lowercase(char32_t c, char32_t out[3]);
// The end of the extended grapheme cluster (UAX #29) that starts at chars[begin].
size_t grapheme_end(std::u32string_view chars, size_t begin);

}  // namespace hft::tokenize::unicode
