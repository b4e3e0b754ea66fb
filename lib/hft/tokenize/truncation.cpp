#include "hft/tokenize/truncation.h"

#include <algorithm>  // std::max, std::swap

#include "hft/tokenize/tokenize_error.h"  // TokenizeError

namespace hft::tokenize {

void keep_first(Encoding& encoding, size_t n) {
  if (encoding.size() <= n) return;
  encoding.input_ids.resize(n);
  encoding.token_type_ids.resize(n);
  encoding.attention_mask.resize(n);
  encoding.special_tokens_mask.resize(n);
  encoding.offsets.resize(n);
  encoding.word_ids.resize(n);
}

namespace {

// longest_first for a pair: the shorter text keeps what it has if the longer can give way
// enough; otherwise both get half the budget (the first gets the odd token if it is shorter).
void truncate_longest_first(Encoding& first, Encoding& second, size_t budget) {
  size_t n1 = first.size(), n2 = second.size();
  const bool swapped = n1 > n2;  // from here n1 is the shorter
  if (swapped) std::swap(n1, n2);
  n2 = n1 > budget ? n1 : std::max(n1, budget - n1);
  if (n1 + n2 > budget) {
    n1 = budget / 2;
    n2 = n1 + budget % 2;
  }
  if (swapped) std::swap(n1, n2);
  keep_first(first, n1);
  keep_first(second, n2);
}

}  // namespace

void truncate(Encoding& first, std::optional<Encoding>& second, size_t budget, Truncation strategy) {
  if (strategy == Truncation::kDoNotTruncate) return;
  if (budget == 0) {  // nothing fits: every strategy empties both texts
    keep_first(first, 0);
    if (second) keep_first(*second, 0);
    return;
  }
  const size_t total = first.size() + (second ? second->size() : 0);
  if (total <= budget) return;
  const size_t excess = total - budget;
  switch (strategy) {
    case Truncation::kLongestFirst:
      if (second) {
        truncate_longest_first(first, *second, budget);
      } else {
        keep_first(first, budget);
      }
      return;
    case Truncation::kOnlyFirst:
    case Truncation::kOnlySecond: {
      const bool only_first = strategy == Truncation::kOnlyFirst;
      if (!only_first && !second) {
        throw TokenizeError("truncation", "only_second needs a second text; use longest_first or only_first");
      }
      Encoding& target = only_first ? first : *second;
      if (target.size() <= excess) {
        throw TokenizeError("truncation", std::string("the ") + (only_first ? "first" : "second") +
                                              " text has too few tokens to fit max_length by cutting it alone; "
                                              "use longest_first or a larger max_length");
      }
      keep_first(target, target.size() - excess);
      return;
    }
    case Truncation::kDoNotTruncate:
      return;
  }
}

}  // namespace hft::tokenize
