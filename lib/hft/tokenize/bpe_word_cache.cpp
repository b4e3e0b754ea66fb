#include "hft/tokenize/bpe_word_cache.h"

#include <algorithm>   // std::fill
#include <functional>  // std::hash

namespace hft::tokenize {

uint32_t BpeWordCache::hash_of(std::u32string_view word) {
  const auto hash = static_cast<uint32_t>(std::hash<std::u32string_view>{}(word));
  return hash == 0 ? 1 : hash;
}

size_t BpeWordCache::slot_of(std::u32string_view word, uint32_t hash) const {
  const size_t mask = kSlots - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.hash == 0) return i;
    if (slot.hash == hash && slot.length == word.size() &&
        std::u32string_view(chars_).substr(slot.chars_at, slot.length) == word) {
      return i;
    }
  }
}

bool BpeWordCache::find(std::u32string_view word, std::vector<ModelToken>& out) const {
  if (words_ == 0 || word.size() > kMaxWordChars) return false;
  const Slot& slot = slots_[slot_of(word, hash_of(word))];
  if (slot.hash == 0) return false;
  out.insert(out.end(), tokens_.begin() + slot.tokens_at, tokens_.begin() + slot.tokens_at + slot.token_count);
  return true;
}

void BpeWordCache::insert(std::u32string_view word, const std::vector<ModelToken>& tokens) {
  if (word.size() > kMaxWordChars) return;
  if (words_ >= kMaxWords) clear();
  if (slots_.empty()) slots_.resize(kSlots);
  const uint32_t hash = hash_of(word);
  Slot& slot = slots_[slot_of(word, hash)];
  if (slot.hash != 0) return;  // already there
  slot = {hash, static_cast<uint32_t>(chars_.size()), static_cast<uint32_t>(tokens_.size()),
          static_cast<uint16_t>(word.size()), static_cast<uint16_t>(tokens.size())};
  chars_.append(word);
  tokens_.insert(tokens_.end(), tokens.begin(), tokens.end());
  ++words_;
}

void BpeWordCache::clear() {
  if (words_ == 0) return;
  std::fill(slots_.begin(), slots_.end(), Slot{});
  chars_.clear();
  tokens_.clear();
  words_ = 0;
}

}  // namespace hft::tokenize
