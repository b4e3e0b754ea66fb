#include "hft/tokenize/pre_tokenizer.h"

namespace hft::tokenize {

void WordList::clear() {
  spans.clear();
  mapped.clear();
  mapped_from.clear();
}

void WordList::add_mapped(uint32_t mapped_begin, uint32_t mapped_end) {
  spans.push_back({mapped_from[mapped_begin], mapped_from[mapped_end - 1] + 1, mapped_begin, mapped_end});
}

void WordList::add_copy(const WordList& other, const WordSpan& word) {
  if (!word.is_mapped()) {
    add(word.begin, word.end);
    return;
  }
  const auto start = static_cast<uint32_t>(mapped.size());
  mapped.append(other.chars_of(word));
  mapped_from.insert(mapped_from.end(), other.mapped_from.begin() + word.mapped_begin,
                     other.mapped_from.begin() + word.mapped_end);
  spans.push_back({word.begin, word.end, start, static_cast<uint32_t>(mapped.size())});
}

std::u32string_view WordList::chars_of(const WordSpan& word) const {
  return std::u32string_view(mapped).substr(word.mapped_begin, word.mapped_end - word.mapped_begin);
}

}  // namespace hft::tokenize
