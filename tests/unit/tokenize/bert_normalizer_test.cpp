// BertNormalizer on hand-checked strings; each normalized character keeps its origin.
#include <catch2/catch.hpp>

#include "hft/tokenize/bert_normalizer.h"
#include "hft/tokenize/unicode.h"

using namespace hft::tokenize;

namespace {

NormalizedText normalize(const std::string& utf8, BertNormalizerOptions options = {}) {
  std::u32string chars;
  REQUIRE(unicode::decode_utf8(utf8, chars));
  NormalizedText text = NormalizedText::from_original(chars, 0);
  BertNormalizer(options).normalize(text);
  return text;
}

std::string utf8(const NormalizedText& text) { return unicode::to_utf8(text.chars); }

}  // namespace

TEST_CASE("tokenize/bert_normalizer: lowercase and strip accents (uncased BERT)", "[tokenize][bert_normalizer]") {
  const NormalizedText text = normalize("H\xC3\xA9llo W\xC3\x96rld");  // Héllo WÖrld
  CHECK(utf8(text) == "hello world");
  // 'e' (from é, original char 1) and 'o' (from Ö, original char 7) keep their origins.
  CHECK(text.origin_begin[1] == 1);
  CHECK(text.origin_end[1] == 2);
  CHECK(text.origin_begin[7] == 7);
}

TEST_CASE("tokenize/bert_normalizer: cased BERT keeps case and accents", "[tokenize][bert_normalizer]") {
  BertNormalizerOptions cased;
  cased.lowercase = false;
  cased.strip_accents = false;
  CHECK(utf8(normalize("H\xC3\xA9llo", cased)) == "H\xC3\xA9llo");
}

TEST_CASE("tokenize/bert_normalizer: clean_text drops controls and maps whitespace to a space", "[tokenize][bert_normalizer]") {
  // tab, NUL, zero-width space (Cf), U+FFFD, no-break space, newline
  using namespace std::string_literals;  // the text holds a NUL
  const NormalizedText text = normalize("a\tb\x00" "c\xE2\x80\x8B" "d\xEF\xBF\xBD" "e\xC2\xA0" "f\n"s);
  CHECK(utf8(text) == "a b" "cde f ");
}

TEST_CASE("tokenize/bert_normalizer: CJK ideographs get spaces around them, kana does not", "[tokenize][bert_normalizer]") {
  const NormalizedText text = normalize("\xE4\xBD\xA0\xE5\xA5\xBD\xE3\x81\x82");  // 你好あ
  CHECK(utf8(text) == " \xE4\xBD\xA0  \xE5\xA5\xBD \xE3\x81\x82");
  CHECK(text.origin_begin[0] == 0);  // the added space belongs to 你
  CHECK(text.origin_begin[3] == 1);
}

TEST_CASE("tokenize/bert_normalizer: combining marks are dropped after decomposition", "[tokenize][bert_normalizer]") {
  CHECK(utf8(normalize("e\xCC\x81\xCC\xA3")) == "e");  // e + acute + dot below
  CHECK(utf8(normalize("\xC4\xB0")) == "i");           // İ: dot above stripped, then lowercased
}
