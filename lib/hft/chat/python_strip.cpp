#include "hft/chat/python_strip.h"

#include <stdexcept>
#include <string_view>

#include "hft/tokenize/unicode.h"  // decode_utf8, to_utf8

namespace hft::chat {
namespace {

std::u32string decode(const std::string& text) {
  std::u32string chars;
  if (!tokenize::unicode::decode_utf8(text, chars)) throw std::invalid_argument("strip: the text is not valid UTF-8");
  return chars;
}

}  // namespace

bool is_python_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

std::string python_strip(const std::string& text, const std::optional<std::string>& chars) {
  const std::u32string strip_set = chars ? decode(*chars) : std::u32string();
  const auto stripped = [&](char32_t c) {
    return chars ? strip_set.find(c) != std::u32string::npos : is_python_space(c);
  };
  const std::u32string decoded = decode(text);
  size_t begin = 0, end = decoded.size();
  while (begin < end && stripped(decoded[begin])) ++begin;
  while (end > begin && stripped(decoded[end - 1])) --end;
  return tokenize::unicode::to_utf8(std::u32string_view(decoded).substr(begin, end - begin));
}

}  // namespace hft::chat
