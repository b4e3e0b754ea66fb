#include "hft/tokenize/bpe_word_cache.h"

#include <functional>  // std::hash

namespace hft::tokenize {
namespace {

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

size_t BpeWordCache::home_slot(std::u32string_view word) { return hash_of(word) & (kSlots - 1); }

BpeWordCache::Probe BpeWordCache::probe(std::u32string_view word, uint32_t hash) const {
  for (size_t i = hash & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
    const uint64_t slot = slots_[i].load(std::memory_order_acquire);
    if (slot == 0) return {i, 0};
    if (hash_in(slot) != hash) continue;
    const Entry& entry = entries_[entry_in(slot)];
    if (entry.length == word.size() && std::u32string_view(entry.chars, entry.length) == word) return {i, slot};
  }
}

bool BpeWordCache::find(std::u32string_view word, std::vector<ModelToken>& out) const {
  if (word.size() > kMaxWordChars) return false;
  const uint64_t slot = probe(word, hash_of(word)).value;
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
  const Probe at = probe(word, hash);  // slots change only under the mutex: this stays true
  if (at.value != 0) return;           // another thread kept it first
  entries_[words_] = {chars_.keep(word.data(), word.size()), tokens_.keep(tokens.data(), tokens.size()),
                      static_cast<uint16_t>(word.size()), static_cast<uint16_t>(tokens.size())};
  slots_[at.index].store(slot_value(hash, words_), std::memory_order_release);  // readers see the entry whole
  ++words_;
}

}  // namespace hft::tokenize
