// What a splitting pre-tokenizer does with the pieces its pattern matches, as `tokenizers`'
// SplitDelimiterBehavior: "removed", "isolated", "merged_with_previous", "merged_with_next",
// "contiguous".
#pragma once

#include <string>
#include <vector>

#include "hft/tokenize/pre_tokenizer.h"  // WordList

namespace hft::tokenize {

enum class SplitBehavior { kRemoved, kIsolated, kMergedWithPrevious, kMergedWithNext, kContiguous };

// "Removed" -> kRemoved, ... (the JSON spelling); throws TokenizeError naming `where` otherwise.
SplitBehavior parse_split_behavior(const std::string& name, const std::string& where);

// A piece of a range: [begin, end) and whether the pattern matched it.
struct MatchPiece {
  uint32_t begin;
  uint32_t end;
  bool is_match;
};

// Appends the words that `behavior` makes of `pieces` (which cover a range in order, matches
// and the text between them); empty words are left out.
void split_pieces(const std::vector<MatchPiece>& pieces, SplitBehavior behavior, WordList& words);

// Pieces of [begin, end) where each char with is_match(c) is a match of its own.
template <typename Predicate>
std::vector<MatchPiece> char_matches(const std::u32string& chars, uint32_t begin, uint32_t end, Predicate is_match) {
  std::vector<MatchPiece> pieces;
  uint32_t gap = begin;
  for (uint32_t i = begin; i < end; ++i) {
    if (!is_match(chars[i])) continue;
    if (gap < i) pieces.push_back({gap, i, false});
    pieces.push_back({i, i + 1, true});
    gap = i + 1;
  }
  if (gap < end) pieces.push_back({gap, end, false});
  return pieces;
}

}  // namespace hft::tokenize
