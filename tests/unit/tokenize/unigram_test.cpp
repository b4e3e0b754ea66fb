// Unigram on toy vocabularies whose best paths are worked out by hand (scores are log
// probabilities: the path with the highest sum wins).
#include <catch2/catch.hpp>

#include "hft/tokenize/tokenize_error.h"
#include "hft/tokenize/unigram.h"
#include "model_ids.h"

using namespace hft::tokenize;

namespace {

std::vector<int32_t> ids(const Unigram& model, const std::u32string& word) { return test::model_ids(model, word); }

}  // namespace

TEST_CASE("tokenize/unigram: the path with the highest total score", "[tokenize][unigram]") {
  // 0 <unk>, 1 a (-1), 2 b (-1), 3 ab (-3), 4 abc (-2.5), 5 c (-1)
  const Unigram model({{"<unk>", 0}, {"a", -1}, {"b", -1}, {"ab", -3}, {"abc", -2.5}, {"c", -1}}, {0, false}, "toy");
  CHECK(ids(model, U"ab") == std::vector<int32_t>{1, 2});  // a+b = -2 beats ab = -3
  CHECK(ids(model, U"abc") == std::vector<int32_t>{4});    // abc = -2.5 beats a+b+c = -3
  CHECK(ids(model, U"cab") == std::vector<int32_t>{5, 1, 2});
}

TEST_CASE("tokenize/unigram: of equal paths, the one whose last piece is longest", "[tokenize][unigram]") {
  // xx = x+x = -2: "xxx" is x+xx or xx+x (both -3); tokenizers keeps the first path found to an
  // end, the one whose last piece starts earliest: x | xx.
  const Unigram model({{"<unk>", 0}, {"x", -1}, {"xx", -2}}, {0, false}, "toy");
  CHECK(ids(model, U"xxx") == std::vector<int32_t>{1, 2});
}

TEST_CASE("tokenize/unigram: unknown chars, fused, or as bytes", "[tokenize][unigram]") {
  const Unigram model({{"<unk>", 0}, {"a", -1}}, {0, false}, "toy");
  std::vector<ModelToken> tokens;
  model.tokenize(U"a\u00e9\u00e9a", tokens);  // "aééa": the two é become one <unk>
  REQUIRE(tokens.size() == 3);
  CHECK(tokens[1].id == 0);
  CHECK(tokens[1].begin == 1);
  CHECK(tokens[1].end == 3);

  // é is C3 A9 in UTF-8.
  const Unigram bytes({{"<unk>", 0}, {"a", -1}, {"<0xC3>", -5}, {"<0xA9>", -5}}, {0, true}, "toy");
  CHECK(ids(bytes, U"a\u00e9") == std::vector<int32_t>{1, 2, 3});
  CHECK(ids(bytes, U"a\u00e8") == std::vector<int32_t>{1, 0});  // <0xA8> is missing: <unk>
}

TEST_CASE("tokenize/unigram: a vocabulary without its unknown piece is refused", "[tokenize][unigram]") {
  CHECK_THROWS_AS(Unigram({{"a", -1}}, {3, false}, "toy"), TokenizeError);
  CHECK_THROWS_AS(Unigram({}, {0, false}, "toy"), TokenizeError);
}
