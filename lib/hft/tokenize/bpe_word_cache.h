// The tokens of words a BPE model has already merged, shared by every thread that encodes with
// it, as `tokenizers` shares one cache per model: a word merged on one thread is found on the
// others, and each word is kept once. Reading takes no lock: a word, once kept, never changes or
// moves, and its slot is published last (release/acquire), so lookups on two threads touch no
// shared line that is being written. Keeping a word takes a mutex (only on a miss). Bounded:
// when full it keeps no more, as `tokenizers` does.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "hft/tokenize/model.h"  // ModelToken

namespace hft::tokenize {

class BpeWordCache {
 public:
  static constexpr size_t kMaxWords = 1 << 16;
  static constexpr size_t kMaxWordChars = 48;  // longer words are not kept

  BpeWordCache();
  ~BpeWordCache();
  BpeWordCache(const BpeWordCache&) = delete;
  BpeWordCache& operator=(const BpeWordCache&) = delete;

  // Appends the kept tokens of `word` to `out`; false if it is not kept.
  bool find(std::u32string_view word, std::vector<ModelToken>& out) const;
  // Keeps `tokens` as the tokens of `word`, unless it is too long, already kept, or the cache is full.
  void insert(std::u32string_view word, const std::vector<ModelToken>& tokens);

 private:
  struct Entry {  // written before its slot is published, never after
    const char32_t* chars;
    const ModelToken* tokens;
    uint16_t length;
    uint16_t token_count;
  };
  // A slot: 0 when empty, else the word's 32-bit hash << 32 | (its entry's index + 1).
  static constexpr size_t kSlots = kMaxWords * 2;  // at most half full: short probe runs

  static uint32_t hash_of(std::u32string_view word);
  // The slot holding `word`, or the empty slot where it would go.
  size_t slot_of(std::u32string_view word, uint32_t hash) const;
  const char32_t* keep_chars(std::u32string_view word);
  const ModelToken* keep_tokens(const std::vector<ModelToken>& tokens);

  std::unique_ptr<std::atomic<uint64_t>[]> slots_;
  std::unique_ptr<Entry[]> entries_;
  std::mutex insert_mutex_;  // guards what follows, and the writing of entries and slots
  size_t words_ = 0;
  // Storage for kept chars and tokens, in blocks that never move.
  std::vector<std::unique_ptr<char32_t[]>> char_blocks_;
  size_t chars_left_ = 0;
  std::vector<std::unique_ptr<ModelToken[]>> token_blocks_;
  size_t tokens_left_ = 0;
};

}  // namespace hft::tokenize
