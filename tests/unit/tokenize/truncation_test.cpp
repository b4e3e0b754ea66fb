// Pair truncation, worked out by hand for a budget of 7 tokens (the cases of the `tokenizers`
// truncation rules: the shorter text keeps its tokens if the longer one can give way enough,
// otherwise the budget is split in halves).
#include <catch2/catch.hpp>

#include "hft/tokenize/tokenize_error.h"
#include "hft/tokenize/truncation.h"

using namespace hft::tokenize;

namespace {

Encoding of_length(size_t n) {
  Encoding e;
  for (size_t i = 0; i < n; ++i) {
    e.input_ids.push_back(static_cast<int32_t>(i));
    e.token_type_ids.push_back(0);
    e.attention_mask.push_back(1);
    e.special_tokens_mask.push_back(0);
    e.offsets.emplace_back(i, i + 1);
  }
  return e;
}

std::pair<size_t, size_t> truncated(size_t n1, size_t n2, size_t budget, Truncation strategy = Truncation::kLongestFirst) {
  Encoding first = of_length(n1);
  std::optional<Encoding> second = of_length(n2);
  truncate(first, second, budget, strategy);
  return {first.size(), second->size()};
}

}  // namespace

TEST_CASE("tokenize/truncation: longest_first on pairs", "[tokenize][truncation]") {
  using P = std::pair<size_t, size_t>;
  CHECK(truncated(2, 4, 7) == P{2, 4});  // fits
  CHECK(truncated(2, 8, 7) == P{2, 5});  // only the longer gives way
  CHECK(truncated(8, 2, 7) == P{5, 2});
  CHECK(truncated(4, 4, 7) == P{3, 4});  // halves, the odd token to the second
  CHECK(truncated(8, 8, 7) == P{3, 4});
  CHECK(truncated(8, 4, 7) == P{4, 3});  // halves, the odd token to the longer
  CHECK(truncated(0, 8, 7) == P{0, 7});
  CHECK(truncated(5, 5, 0) == P{0, 0});
}

TEST_CASE("tokenize/truncation: only_first and only_second", "[tokenize][truncation]") {
  using P = std::pair<size_t, size_t>;
  CHECK(truncated(6, 3, 7, Truncation::kOnlyFirst) == P{4, 3});
  CHECK(truncated(3, 6, 7, Truncation::kOnlySecond) == P{3, 4});
  CHECK_THROWS_AS(truncated(2, 8, 7, Truncation::kOnlyFirst), TokenizeError);  // first has too few
  CHECK(truncated(8, 8, 7, Truncation::kDoNotTruncate) == P{8, 8});
}

TEST_CASE("tokenize/truncation: a single text keeps its first tokens", "[tokenize][truncation]") {
  Encoding e = of_length(10);
  std::optional<Encoding> none;
  truncate(e, none, 4, Truncation::kLongestFirst);
  CHECK(e.input_ids == std::vector<int32_t>{0, 1, 2, 3});
  CHECK(e.offsets.size() == 4);
}
