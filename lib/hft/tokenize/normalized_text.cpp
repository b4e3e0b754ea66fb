#include "hft/tokenize/normalized_text.h"

namespace hft::tokenize {

NormalizedText NormalizedText::from_original(std::u32string_view original, uint32_t first_origin) {
  NormalizedText text;
  text.assign_original(original, first_origin);
  return text;
}

void NormalizedText::assign_original(std::u32string_view original, uint32_t first_origin) {
  chars.assign(original.begin(), original.end());
  origin_begin.resize(original.size());
  origin_end.resize(original.size());
  for (uint32_t i = 0; i < original.size(); ++i) {
    origin_begin[i] = first_origin + i;
    origin_end[i] = first_origin + i + 1;
  }
}

void NormalizedText::reserve(size_t n) {
  chars.reserve(n);
  origin_begin.reserve(n);
  origin_end.reserve(n);
}

void NormalizedText::push(char32_t c, uint32_t begin, uint32_t end) {
  chars.push_back(c);
  origin_begin.push_back(begin);
  origin_end.push_back(end);
}

}  // namespace hft::tokenize
