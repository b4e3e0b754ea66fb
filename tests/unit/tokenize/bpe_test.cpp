// BPE on a toy vocabulary with hand-worked merges, and the GPT-2 byte alphabet.
#include <catch2/catch.hpp>

#include "hft/tokenize/bpe.h"
#include "hft/tokenize/byte_level_pre_tokenizer.h"
#include "hft/tokenize/tokenize_error.h"
#include "hft/tokenize/unicode.h"
#include "model_ids.h"

using namespace hft::tokenize;

namespace {

// a=0 b=1 c=2 ab=3 bc=4 abc=5; merges by rank: (b c), (a b), (a bc)
Bpe toy_model() {
  Vocab vocab;
  int32_t id = 0;
  for (const char* t : {"a", "b", "c", "ab", "bc", "abc"}) vocab.add(t, id++);
  return Bpe(std::move(vocab), {{"b", "c"}, {"a", "b"}, {"a", "bc"}}, BpeOptions{}, "toy");
}

std::vector<int32_t> ids(const Bpe& model, const std::u32string& word) { return test::model_ids(model, word); }

}  // namespace

TEST_CASE("tokenize/bpe: merges apply lowest rank first", "[tokenize][bpe]") {
  const Bpe model = toy_model();
  CHECK(ids(model, U"abc") == std::vector<int32_t>{5});     // b+c (rank 0) then a+bc (rank 2)
  CHECK(ids(model, U"ab") == std::vector<int32_t>{3});
  CHECK(ids(model, U"abab") == std::vector<int32_t>{3, 3});  // equal ranks: both merge
  CHECK(ids(model, U"cab") == std::vector<int32_t>{2, 3});
  CHECK(ids(model, U"axb") == std::vector<int32_t>{3});      // no unk_token: x is dropped, a+b merge
}

TEST_CASE("tokenize/bpe: a merge outside the vocabulary is refused", "[tokenize][bpe]") {
  Vocab vocab;
  vocab.add("a", 0);
  CHECK_THROWS_AS(Bpe(std::move(vocab), {{"a", "a"}}, BpeOptions{}, "toy"), TokenizeError);
}

TEST_CASE("tokenize/bpe: the GPT-2 byte alphabet", "[tokenize][bpe]") {
  const auto& table = byte_to_char();
  CHECK(table['A'] == U'A');
  CHECK(table[' '] == 0x120);   // Ġ
  CHECK(table['\n'] == 0x10A);  // Ċ
  CHECK(table[0] == 0x100);
  CHECK(table[0xAD] == 0x143);  // soft hyphen is not printable: the 68th stand-in
  CHECK(table[0xFF] == 0xFF);
}
