// Whether text is UTF-8: recipe text and command-line values reach JSON (hft_recipe.yaml,
// validate --json), which holds only UTF-8, so other bytes are refused where they were written.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hft::config {

// The offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode's
// Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF); nullopt when all is UTF-8.
std::optional<size_t> first_invalid_utf8(std::string_view text);

// `text` with each byte that is not part of well-formed UTF-8 written as \xHH, for messages.
std::string escape_non_utf8(std::string_view text);

}  // namespace hft::config
