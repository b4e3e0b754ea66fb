// The tokens of words BPE has already merged, as `tokenizers` BPE caches them. A flat table:
// open addressing over one array of slots, the words' chars and tokens in two shared buffers,
// so that a lookup touches the slot array and, on a hash match, one stretch of chars; no node
// per entry and no allocation per word. Bounded: cleared when full.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hft/tokenize/model.h"  // ModelToken

namespace hft::tokenize {

class BpeWordCache {
 public:
  static constexpr size_t kMaxWords = 1 << 16;
  static constexpr size_t kMaxWordChars = 48;  // longer words are not kept

  // Appends the cached tokens of `word` to `out`; false if it is not cached.
  bool find(std::u32string_view word, std::vector<ModelToken>& out) const;
  // Keeps `tokens` as the tokens of `word` (not cached yet, at most kMaxWordChars long).
  void insert(std::u32string_view word, const std::vector<ModelToken>& tokens);
  void clear();

 private:
  struct Slot {  // 16 bytes
    uint32_t hash = 0;  // 0: empty (a word hashing to 0 is stored as 1)
    uint32_t chars_at = 0;
    uint32_t tokens_at = 0;
    uint16_t length = 0;
    uint16_t token_count = 0;
  };
  static constexpr size_t kSlots = kMaxWords * 2;  // at most half full: short probe runs

  static uint32_t hash_of(std::u32string_view word);
  size_t slot_of(std::u32string_view word, uint32_t hash) const;  // the word's slot or an empty one

  std::vector<Slot> slots_;  // kSlots once anything is kept
  std::u32string chars_;
  std::vector<ModelToken> tokens_;
  size_t words_ = 0;
};

}  // namespace hft::tokenize
