#include "hft/tokenize/bpe_word_cache.h"

#include <algorithm>   // std::copy
#include <functional>  // std::hash

namespace hft::tokenize {
namespace {

constexpr size_t kBlockChars = 1 << 16;   // a char block holds at least 1,365 words
constexpr size_t kBlockTokens = 1 << 14;  // a token block at least 85

uint64_t slot_value(uint32_t hash, size_t entry) { return (static_cast<uint64_t>(hash) << 32) | (entry + 1); }
uint32_t hash_in(uint64_t slot) { return static_cast<uint32_t>(slot >> 32); }
size_t entry_in(uint64_t slot) { return static_cast<size_t>(slot & 0xFFFFFFFFu) - 1; }

}  // namespace

BpeWordCache::BpeWordCache()
    : slots_(std::make_unique<std::atomic<uint64_t>[]>(kSlots)), entries_(std::make_unique<Entry[]>(kMaxWords)) {
  for (size_t i = 0; i < kSlots; ++i) slots_[i].store(0, std::memory_order_relaxed);
}

BpeWordCache::~BpeWordCache() = default;

uint32_t BpeWordCache::hash_of(std::u32string_view word) {
  return static_cast<uint32_t>(std::hash<std::u32string_view>{}(word));
}

size_t BpeWordCache::slot_of(std::u32string_view word, uint32_t hash) const {
  const size_t mask = kSlots - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const uint64_t slot = slots_[i].load(std::memory_order_acquire);
    if (slot == 0) return i;
    if (hash_in(slot) != hash) continue;
    const Entry& entry = entries_[entry_in(slot)];
    if (entry.length == word.size() && std::u32string_view(entry.chars, entry.length) == word) return i;
  }
}

bool BpeWordCache::find(std::u32string_view word, std::vector<ModelToken>& out) const {
  if (word.size() > kMaxWordChars) return false;
  const uint64_t slot = slots_[slot_of(word, hash_of(word))].load(std::memory_order_acquire);
  if (slot == 0) return false;
  const Entry& entry = entries_[entry_in(slot)];
  out.insert(out.end(), entry.tokens, entry.tokens + entry.token_count);
  return true;
}

void BpeWordCache::insert(std::u32string_view word, const std::vector<ModelToken>& tokens) {
  if (word.size() > kMaxWordChars) return;
  const uint32_t hash = hash_of(word);
  std::lock_guard<std::mutex> lock(insert_mutex_);
  if (words_ == kMaxWords) return;
  const size_t at = slot_of(word, hash);
  if (slots_[at].load(std::memory_order_relaxed) != 0) return;  // another thread kept it first
  entries_[words_] = {keep_chars(word), keep_tokens(tokens), static_cast<uint16_t>(word.size()),
                      static_cast<uint16_t>(tokens.size())};
  slots_[at].store(slot_value(hash, words_), std::memory_order_release);  // readers see the entry whole
  ++words_;
}

const char32_t* BpeWordCache::keep_chars(std::u32string_view word) {
  if (word.empty()) return nullptr;
  if (chars_left_ < word.size()) {
    char_blocks_.push_back(std::make_unique<char32_t[]>(kBlockChars));
    chars_left_ = kBlockChars;
  }
  char32_t* at = char_blocks_.back().get() + (kBlockChars - chars_left_);
  std::copy(word.begin(), word.end(), at);
  chars_left_ -= word.size();
  return at;
}

const ModelToken* BpeWordCache::keep_tokens(const std::vector<ModelToken>& tokens) {
  if (tokens.empty()) return nullptr;  // a word whose chars the vocabulary lacks, with no unk token
  if (tokens_left_ < tokens.size()) {
    token_blocks_.push_back(std::make_unique<ModelToken[]>(kBlockTokens));
    tokens_left_ = kBlockTokens;
  }
  ModelToken* at = token_blocks_.back().get() + (kBlockTokens - tokens_left_);
  std::copy(tokens.begin(), tokens.end(), at);
  tokens_left_ -= tokens.size();
  return at;
}

}  // namespace hft::tokenize
