// BertPreTokenizer: whitespace separates words, punctuation is a word of its own.
#include <catch2/catch.hpp>

#include "hft/tokenize/bert_pre_tokenizer.h"
#include "hft/tokenize/unicode.h"

using namespace hft::tokenize;

namespace {

std::vector<std::string> words_of(const std::string& utf8) {
  std::u32string chars;
  REQUIRE(unicode::decode_utf8(utf8, chars));
  const NormalizedText text = NormalizedText::from_original(chars, 0);
  WordList spans;
  BertPreTokenizer().split(text, {0, static_cast<uint32_t>(text.size())}, spans);
  std::vector<std::string> words;
  for (const auto& s : spans.spans) words.push_back(unicode::to_utf8(std::u32string_view(chars).substr(s.begin, s.end - s.begin)));
  return words;
}

}  // namespace

TEST_CASE("tokenize/bert_pre_tokenizer: splits on whitespace and isolates punctuation", "[tokenize][bert_pre_tokenizer]") {
  CHECK(words_of("Hello, world!") == std::vector<std::string>{"Hello", ",", "world", "!"});
  CHECK(words_of("  don't   stop ") == std::vector<std::string>{"don", "'", "t", "stop"});
  CHECK(words_of("a$b\xE2\x80\x94" "c") == std::vector<std::string>{"a", "$", "b", "\xE2\x80\x94", "c"});  // a$b—c
  CHECK(words_of("").empty());
  CHECK(words_of(" \t ").empty());
}
