// Finding the first byte of a text that is not valid UTF-8, to report it by line and column.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hft::data {

struct TextPosition {
  int64_t line = 1;    // 1-based
  int64_t column = 1;  // 1-based, in code points
};

// The position of the first invalid UTF-8 sequence (overlong forms, surrogates and code points
// above U+10FFFF count as invalid), or nullopt when the whole text is valid.
std::optional<TextPosition> find_invalid_utf8(std::string_view text);

}  // namespace hft::data
