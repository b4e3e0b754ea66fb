// Split behaviours on "a-b--c" with '-' matching, worked out by hand (pieces a - b - - c).
#include <catch2/catch.hpp>

#include "hft/tokenize/split_behavior.h"
#include "hft/tokenize/tokenize_error.h"

using namespace hft::tokenize;

namespace {

std::vector<std::string> split(const std::u32string& text, SplitBehavior behavior) {
  const auto pieces = char_matches(text, 0, static_cast<uint32_t>(text.size()), [](char32_t c) { return c == U'-'; });
  WordList words;
  split_pieces(pieces, behavior, words);
  std::vector<std::string> out;
  for (const auto& w : words.spans) {
    std::string s;
    for (uint32_t i = w.begin; i < w.end; ++i) s += static_cast<char>(text[i]);
    out.push_back(s);
  }
  return out;
}

using Words = std::vector<std::string>;

}  // namespace

TEST_CASE("tokenize/split_behavior: the five behaviours", "[tokenize][split_behavior]") {
  CHECK(split(U"a-b--c", SplitBehavior::kRemoved) == Words{"a", "b", "c"});
  CHECK(split(U"a-b--c", SplitBehavior::kIsolated) == Words{"a", "-", "b", "-", "-", "c"});
  CHECK(split(U"a-b--c", SplitBehavior::kContiguous) == Words{"a", "-", "b", "--", "c"});
  CHECK(split(U"a-b--c", SplitBehavior::kMergedWithPrevious) == Words{"a-", "b-", "-", "c"});
  CHECK(split(U"a-b--c", SplitBehavior::kMergedWithNext) == Words{"a", "-b", "-", "-c"});
  CHECK(split(U"-a", SplitBehavior::kMergedWithPrevious) == Words{"-", "a"});  // nothing before to join
  CHECK(split(U"", SplitBehavior::kIsolated).empty());
}

TEST_CASE("tokenize/split_behavior: JSON names", "[tokenize][split_behavior]") {
  CHECK(parse_split_behavior("MergedWithNext", "x") == SplitBehavior::kMergedWithNext);
  CHECK_THROWS_AS(parse_split_behavior("merged_with_next", "x"), TokenizeError);
}
