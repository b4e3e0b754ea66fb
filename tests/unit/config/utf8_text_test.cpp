// first_invalid_utf8 against the well-formed byte sequences of the Unicode Standard, Table 3-7
// (hand-checked boundaries: overlong forms, surrogates, beyond U+10FFFF, cut-off sequences).
#include "hft/config/utf8_text.h"

#include <catch2/catch.hpp>

using hft::config::escape_non_utf8;
using hft::config::first_invalid_utf8;

TEST_CASE("well-formed UTF-8 of each length passes") {
  CHECK_FALSE(first_invalid_utf8(""));
  CHECK_FALSE(first_invalid_utf8("plain ASCII: key: value\n"));
  CHECK_FALSE(first_invalid_utf8("caf\xC3\xA9"));                  // U+00E9
  CHECK_FALSE(first_invalid_utf8("\xE2\x82\xAC"));                 // U+20AC
  CHECK_FALSE(first_invalid_utf8("\xED\x9F\xBF"));                 // U+D7FF, the last before the surrogates
  CHECK_FALSE(first_invalid_utf8("\xEE\x80\x80"));                 // U+E000, the first after them
  CHECK_FALSE(first_invalid_utf8("\xF0\x9F\x98\x80"));             // U+1F600
  CHECK_FALSE(first_invalid_utf8("\xF4\x8F\xBF\xBF"));             // U+10FFFF, the last code point
  CHECK_FALSE(first_invalid_utf8("\xEF\xBB\xBF" "a: 1"));          // a byte-order mark
}

TEST_CASE("ill-formed UTF-8 is found at its first byte") {
  CHECK(first_invalid_utf8("caf\xE9 run") == 3u);          // Latin-1
  CHECK(first_invalid_utf8("ab\x80") == 2u);               // a continuation byte alone
  CHECK(first_invalid_utf8("\xC0\x80") == 0u);             // overlong U+0000
  CHECK(first_invalid_utf8("\xC1\xBF") == 0u);             // overlong U+007F
  CHECK(first_invalid_utf8("x\xE0\x9F\xBF") == 1u);        // overlong U+07FF
  CHECK(first_invalid_utf8("\xED\xA0\x80") == 0u);         // U+D800, a surrogate
  CHECK(first_invalid_utf8("\xF0\x8F\xBF\xBF") == 0u);     // overlong U+FFFF
  CHECK(first_invalid_utf8("\xF4\x90\x80\x80") == 0u);     // U+110000
  CHECK(first_invalid_utf8("\xF5\x80\x80\x80") == 0u);     // no lead byte above F4
  CHECK(first_invalid_utf8("ok \xE2\x82") == 3u);          // cut off at the end
  CHECK(first_invalid_utf8("\xE2\x82x") == 0u);            // cut off by ASCII
  CHECK(first_invalid_utf8("\xC3\xA9\xFF") == 2u);         // after a good sequence
}

TEST_CASE("messages show bytes that are not UTF-8 escaped") {
  CHECK(escape_non_utf8("caf\xE9 \xC3\xA9") == "caf\\xE9 \xC3\xA9");
  CHECK(escape_non_utf8("\xFF\xFE") == "\\xFF\\xFE");
  CHECK(escape_non_utf8("plain") == "plain");
}
