// Added tokens found in text: leftmost then longest wins; single_word, lstrip and rstrip.
#include <catch2/catch.hpp>

#include "hft/tokenize/added_vocabulary.h"
#include "hft/tokenize/unicode.h"

using namespace hft::tokenize;

namespace {

AddedToken token(std::string content, int32_t id) {
  AddedToken t;
  t.content = std::move(content);
  t.id = id;
  t.special = true;
  t.normalized = false;
  return t;
}

// "text|[id]|text" rendering of the pieces.
std::string pieces(const AddedVocabulary& added, const std::string& utf8) {
  std::u32string chars;
  REQUIRE(unicode::decode_utf8(utf8, chars));
  std::string out;
  for (const auto& p : added.split(chars, false)) {
    if (!out.empty()) out += '|';
    if (p.id) {
      out += '[';
      out += std::to_string(*p.id);
      out += ']';
    } else {
      out += unicode::to_utf8(std::u32string_view(chars).substr(p.begin, p.end - p.begin));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("tokenize/added_vocabulary: special tokens split the raw text", "[tokenize][added_vocabulary]") {
  const AddedVocabulary added({token("[CLS]", 101), token("[SEP]", 102), token("[SEP][SEP]", 7)}, nullptr);
  CHECK(pieces(added, "a [CLS] b") == "a |[101]| b");
  CHECK(pieces(added, "[SEP][SEP]x[SEP]") == "[7]|x|[102]");  // the longest match at a position wins
  CHECK(pieces(added, "[cls]") == "[cls]");                   // raw matching is case-sensitive
  CHECK(pieces(added, "") == "");
}

TEST_CASE("tokenize/added_vocabulary: single_word, lstrip and rstrip", "[tokenize][added_vocabulary]") {
  AddedToken mask = token("<mask>", 5);
  mask.lstrip = true;
  mask.rstrip = true;
  AddedToken word = token("hi", 6);
  word.single_word = true;
  const AddedVocabulary added({mask, word}, nullptr);
  CHECK(pieces(added, "a  <mask>  b") == "a|[5]|b");
  CHECK(pieces(added, "hi this") == "[6]| this");  // "hi" inside "this" is not a word
}
