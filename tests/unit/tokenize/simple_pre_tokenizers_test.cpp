// The splitting pre-tokenizers on hand-checked strings.
#include <catch2/catch.hpp>

#include "hft/tokenize/simple_pre_tokenizers.h"
#include "hft/tokenize/unicode.h"

using namespace hft::tokenize;
using Words = std::vector<std::string>;

namespace {

Words words_of(const PreTokenizer& p, const std::string& utf8) {
  std::u32string chars;
  REQUIRE(unicode::decode_utf8(utf8, chars));
  const NormalizedText text = NormalizedText::from_original(chars, 0);
  WordList spans;
  p.split(text, {0, static_cast<uint32_t>(text.size())}, spans);
  Words out;
  for (const auto& s : spans.spans) out.push_back(unicode::to_utf8(std::u32string_view(chars).substr(s.begin, s.end - s.begin)));
  return out;
}

}  // namespace

TEST_CASE("tokenize/simple_pre_tokenizers: whitespace, punctuation, digits", "[tokenize][simple_pre_tokenizers]") {
  CHECK(words_of(WhitespaceSplitPreTokenizer(), " a,b  c ") == Words{"a,b", "c"});
  CHECK(words_of(WhitespacePreTokenizer(), "Hey, you!! x_1") == Words{"Hey", ",", "you", "!!", "x_1"});
  CHECK(words_of(PunctuationPreTokenizer(SplitBehavior::kIsolated), "a,b!") == Words{"a", ",", "b", "!"});
  CHECK(words_of(DigitsPreTokenizer(true), "ab123c") == Words{"ab", "1", "2", "3", "c"});
  CHECK(words_of(DigitsPreTokenizer(false), "ab123c") == Words{"ab", "123", "c"});
}

TEST_CASE("tokenize/simple_pre_tokenizers: Split and Sequence", "[tokenize][simple_pre_tokenizers]") {
  CHECK(words_of(SplitPreTokenizer(U"--", nullptr, SplitBehavior::kRemoved, false), "a--b---c") == Words{"a", "b", "-c"});
  auto digits = std::make_unique<Regex>("[0-9]+", "test");
  CHECK(words_of(SplitPreTokenizer(U"", std::move(digits), SplitBehavior::kIsolated, false), "ab12cd3") ==
        Words{"ab", "12", "cd", "3"});
  auto letters = std::make_unique<Regex>("[a-z]+", "test");
  CHECK(words_of(SplitPreTokenizer(U"", std::move(letters), SplitBehavior::kRemoved, true), "ab12cd3") ==
        Words{"ab", "cd"});  // invert: keep what matches
  std::vector<std::unique_ptr<PreTokenizer>> steps;
  steps.push_back(std::make_unique<WhitespaceSplitPreTokenizer>());
  steps.push_back(std::make_unique<DigitsPreTokenizer>(true));
  CHECK(words_of(PreTokenizerSequence(std::move(steps)), "a1 22") == Words{"a", "1", "2", "2"});
}
