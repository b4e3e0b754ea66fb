// The tokens of words a BPE model has already merged, shared by every thread that encodes with
// it, as `tokenizers` shares one cache per model: a word merged on one thread is found on the
// others, and each word is kept once. Reading takes no lock: a word, once kept, never changes or
// moves, and its slot is published last (release/acquire), so lookups on two threads touch no
// shared line that is being written. Keeping a word takes a mutex (only on a miss). Bounded:
// when full it keeps no more, as `tokenizers` does.
#pragma once

#include <algorithm>  // std::copy
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "hft/tokenize/model.h"  // ModelToken

namespace hft::tokenize {

// Append-only storage whose elements never move: copies go into blocks of kBlock elements.
template <typename T, size_t kBlock>
class StableBlocks {
 public:
  // A lasting copy of data[0, n) (n at most kBlock); null when n is 0.
  const T* keep(const T* data, size_t n) {
    if (n == 0) return nullptr;
    if (left_ < n) {
      blocks_.push_back(std::make_unique<T[]>(kBlock));
      left_ = kBlock;
    }
    T* at = blocks_.back().get() + (kBlock - left_);
    std::copy(data, data + n, at);
    left_ -= n;
    return at;
  }

 private:
  std::vector<std::unique_ptr<T[]>> blocks_;
  size_t left_ = 0;
};

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

  static constexpr size_t kSlots = kMaxWords * 2;  // at most half full: short probe runs
  // The slot (below kSlots) where the search for `word` starts: words that share it meet in one probe run.
  static size_t home_slot(std::u32string_view word);

 private:
  struct Entry {  // written before its slot is published, never after
    const char32_t* chars;
    const ModelToken* tokens;
    uint16_t length;
    uint16_t token_count;
  };
  struct Probe {
    size_t index;    // the slot holding `word`, or the empty slot where it would go
    uint64_t value;  // what the search read there: 0 if empty. Readers use this, never a second
                     // read, which could see a different word kept there since.
  };
  static uint32_t hash_of(std::u32string_view word);
  Probe probe(std::u32string_view word, uint32_t hash) const;

  // A slot: 0 when empty, else the word's 32-bit hash << 32 | (its entry's index + 1).
  std::unique_ptr<std::atomic<uint64_t>[]> slots_;
  std::unique_ptr<Entry[]> entries_;
  std::mutex insert_mutex_;  // guards what follows, and the writing of entries and slots
  size_t words_ = 0;
  StableBlocks<char32_t, 1 << 16> chars_;     // the kept words' chars
  StableBlocks<ModelToken, 1 << 14> tokens_;  // and tokens (at most 4 per char: byte fallback)
};

}  // namespace hft::tokenize
