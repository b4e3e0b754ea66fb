#include "hft/tokenize/split_behavior.h"

#include <algorithm>  // std::reverse

#include "hft/tokenize/tokenize_error.h"  // TokenizeError

namespace hft::tokenize {

SplitBehavior parse_split_behavior(const std::string& name, const std::string& where) {
  if (name == "Removed") return SplitBehavior::kRemoved;
  if (name == "Isolated") return SplitBehavior::kIsolated;
  if (name == "MergedWithPrevious") return SplitBehavior::kMergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::kMergedWithNext;
  if (name == "Contiguous") return SplitBehavior::kContiguous;
  throw TokenizeError(where, "behavior \"" + name +
                                 "\" is not one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous");
}

namespace {

// Merged pieces, in order; a match joins the piece before it (or, walking backwards for
// merged_with_next, the piece after it) unless that piece is a match too.
std::vector<MatchPiece> merge(const std::vector<MatchPiece>& pieces, SplitBehavior behavior) {
  std::vector<MatchPiece> out;
  bool previous_match = false;
  auto absorb = [&](const MatchPiece& p, bool into_last) {
    if (into_last && !out.empty()) {
      if (behavior == SplitBehavior::kMergedWithNext) {
        out.back().begin = p.begin;
      } else {
        out.back().end = p.end;
      }
    } else {
      out.push_back(p);
    }
    previous_match = p.is_match;
  };
  if (behavior == SplitBehavior::kMergedWithNext) {
    for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) absorb(*it, it->is_match && !previous_match);
    std::reverse(out.begin(), out.end());
  } else if (behavior == SplitBehavior::kMergedWithPrevious) {
    for (const auto& p : pieces) absorb(p, p.is_match && !previous_match);
  } else {  // contiguous: neighbouring matches become one piece
    for (const auto& p : pieces) absorb(p, p.is_match == previous_match && !out.empty());
  }
  return out;
}

}  // namespace

void split_pieces(const std::vector<MatchPiece>& pieces, SplitBehavior behavior, WordList& words) {
  auto emit = [&](const MatchPiece& p) {
    if (p.end > p.begin) words.add(p.begin, p.end);
  };
  switch (behavior) {
    case SplitBehavior::kRemoved:
      for (const auto& p : pieces) {
        if (!p.is_match) emit(p);
      }
      return;
    case SplitBehavior::kIsolated:
      for (const auto& p : pieces) emit(p);
      return;
    default:
      for (const auto& p : merge(pieces, behavior)) emit(p);
      return;
  }
}

}  // namespace hft::tokenize
