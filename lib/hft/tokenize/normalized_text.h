// Text being normalized, one code point at a time, each remembering which code points of the
// original text it came from, so that token offsets can point into what the user gave.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hft::tokenize {

struct NormalizedText {
  std::u32string chars;
  // For chars[i]: the original code points [origin_begin[i], origin_end[i]) it stands for.
  std::vector<uint32_t> origin_begin;
  std::vector<uint32_t> origin_end;

  // Text whose i-th code point came from original code point `first_origin + i`.
  static NormalizedText from_original(std::u32string_view original, uint32_t first_origin);
  // The same in place, keeping this text's memory.
  void assign_original(std::u32string_view original, uint32_t first_origin);

  size_t size() const { return chars.size(); }
  void reserve(size_t n);
  void push(char32_t c, uint32_t begin, uint32_t end);
};

}  // namespace hft::tokenize
