// Python's str.strip, which Jinja's trim filter calls: Unicode whitespace by default (minja's own
// trim strips " \t\n\r" only, so a no-break space around a Llama 3 message would stay).
#pragma once

#include <optional>
#include <string>

namespace hft::chat {

// Python's str.isspace for one character: the Unicode White_Space characters and U+001C..U+001F.
bool is_python_space(char32_t c);

// text.strip(chars): removes, at both ends, whitespace (chars unset) or any character of `chars`.
// Throws std::invalid_argument when text or chars is not UTF-8 (a Python str always is).
std::string python_strip(const std::string& text, const std::optional<std::string>& chars = std::nullopt);

}  // namespace hft::chat
