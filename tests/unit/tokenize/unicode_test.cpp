// Hand-checked Unicode facts: UTF-8 validity and the character classes BERT relies on.
#include <catch2/catch.hpp>

#include "hft/tokenize/unicode.h"

using namespace hft::tokenize;

TEST_CASE("tokenize/unicode: decode_utf8 accepts UTF-8 and reports where it is not", "[tokenize][unicode]") {
  std::u32string out;
  REQUIRE(unicode::decode_utf8("h\xC3\xA9\xE4\xBD\xA0\xF0\x9F\x98\x80", out));  // h é 你 😀
  REQUIRE(out == std::u32string{U'h', 0xE9, 0x4F60, 0x1F600});
  size_t bad = 99;
  CHECK_FALSE(unicode::decode_utf8("ab\xC3", out, &bad));  // truncated sequence
  CHECK(bad == 2);
  CHECK_FALSE(unicode::decode_utf8("\xC0\xAF", out, &bad));  // overlong '/'
  CHECK(bad == 0);
  CHECK_FALSE(unicode::decode_utf8("x\xED\xA0\x80", out, &bad));  // surrogate U+D800
  CHECK(bad == 1);
  CHECK_FALSE(unicode::decode_utf8("\xF4\x90\x80\x80", out));  // U+110000
  CHECK(unicode::to_utf8(U"h\u00e9\u4f60") == "h\xC3\xA9\xE4\xBD\xA0");
}

TEST_CASE("tokenize/unicode: character classes match Rust's and BERT's definitions", "[tokenize][unicode]") {
  CHECK(unicode::is_whitespace(U' '));
  CHECK(unicode::is_whitespace(0x3000));   // ideographic space
  CHECK(unicode::is_whitespace(0xA0));     // no-break space
  CHECK_FALSE(unicode::is_whitespace(0x200B));  // zero width space is Cf, not whitespace
  CHECK(unicode::is_other_control_format_private(0x200B));
  CHECK(unicode::is_other_control_format_private(0xE000));  // private use
  CHECK_FALSE(unicode::is_other_control_format_private(0x378));  // unassigned stays
  CHECK(unicode::is_bert_punctuation(U'$'));   // ASCII symbol counts
  CHECK(unicode::is_bert_punctuation(0xBF));   // ¿
  CHECK(unicode::is_bert_punctuation(0x2014)); // em dash
  CHECK_FALSE(unicode::is_bert_punctuation(0x20AC));  // € is Sc, not ASCII
  CHECK(unicode::is_chinese_char(0x4F60));
  CHECK_FALSE(unicode::is_chinese_char(0x3042));  // hiragana
  CHECK(unicode::is_mark_nonspacing(0x301));
  char32_t parts[8];
  REQUIRE(unicode::decompose_canonical(0xE9, parts) == 2);  // é -> e + U+0301
  CHECK((parts[0] == U'e' && parts[1] == 0x301));
  REQUIRE(unicode::decompose_canonical(0xD55C, parts) == 3);  // 한 -> three jamo
  char32_t lower[3];
  REQUIRE(unicode::to_lowercase(0x130, lower) == 2);  // İ -> i + combining dot
  CHECK((lower[0] == U'i' && lower[1] == 0x307));
  REQUIRE(unicode::to_lowercase(0xC9, lower) == 1);
  CHECK(lower[0] == 0xE9);
}
