// WordPiece on a toy vocabulary, checked by hand: greedy longest match, "##" continuations,
// the whole word unknown when any part has no piece or it is over 100 characters.
#include <catch2/catch.hpp>

#include "hft/tokenize/tokenize_error.h"
#include "hft/tokenize/unicode.h"
#include "hft/tokenize/wordpiece.h"
#include "model_ids.h"

using namespace hft::tokenize;

namespace {

WordPiece toy_model() {
  Vocab vocab;
  int32_t id = 0;
  for (const char* t : {"[UNK]", "un", "una", "##ff", "##ffa", "##able", "##ble", "a", "##a", "\xC3\xA9t\xC3\xA9"}) vocab.add(t, id++);
  return WordPiece(std::move(vocab), WordPieceOptions{}, "toy");
}

std::vector<int32_t> ids(const WordPiece& model, const std::string& word) {
  std::u32string chars;
  REQUIRE(unicode::decode_utf8(word, chars));
  return test::model_ids(model, chars);
}

}  // namespace

TEST_CASE("tokenize/wordpiece: greedy longest match first", "[tokenize][wordpiece]") {
  const WordPiece model = toy_model();
  // una + ##ffa + ##ble: "una" beats "un", "##ffa" beats "##ff".
  CHECK(ids(model, "unaffable") == std::vector<int32_t>{2, 4, 6});
  CHECK(ids(model, "\xC3\xA9t\xC3\xA9") == std::vector<int32_t>{9});  // été, multi-byte chars
}

TEST_CASE("tokenize/wordpiece: a word with a part that has no piece is one [UNK]", "[tokenize][wordpiece]") {
  const WordPiece model = toy_model();
  CHECK(ids(model, "unx") == std::vector<int32_t>{0});
  CHECK(ids(model, "xa") == std::vector<int32_t>{0});
}

TEST_CASE("tokenize/wordpiece: words over 100 characters are [UNK]", "[tokenize][wordpiece]") {
  const WordPiece model = toy_model();
  std::vector<int32_t> hundred(100, 8);  // a ##a ##a ...
  hundred[0] = 7;
  CHECK(ids(model, std::string(100, 'a')) == hundred);
  CHECK(ids(model, std::string(101, 'a')) == std::vector<int32_t>{0});
}

TEST_CASE("tokenize/wordpiece: the unknown token must be in the vocabulary", "[tokenize][wordpiece]") {
  Vocab vocab;
  vocab.add("a", 0);
  CHECK_THROWS_AS(WordPiece(std::move(vocab), WordPieceOptions{}, "toy"), TokenizeError);
}
