#include "hft/config/utf8_text.h"

#include <cstdio>

namespace hft::config {
namespace {

// The length of the sequence starting with `lead` and the allowed range of its second byte;
// length 0 for a byte that cannot start one.
struct Lead {
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
};

Lead lead_of(unsigned char b) {
  if (b >= 0xC2 && b <= 0xDF) return {2};
  if (b == 0xE0) return {3, 0xA0, 0xBF};  // below A0: overlong
  if (b == 0xED) return {3, 0x80, 0x9F};  // above 9F: a surrogate (U+D800..U+DFFF)
  if (b >= 0xE1 && b <= 0xEF) return {3};
  if (b == 0xF0) return {4, 0x90, 0xBF};  // below 90: overlong
  if (b == 0xF4) return {4, 0x80, 0x8F};  // above 8F: beyond U+10FFFF
  if (b >= 0xF1 && b <= 0xF3) return {4};
  return {};
}

}  // namespace

std::optional<size_t> first_invalid_utf8(std::string_view text) {
  auto at = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  for (size_t i = 0; i < text.size();) {
    if (at(i) < 0x80) {
      ++i;
      continue;
    }
    const Lead lead = lead_of(at(i));
    if (lead.length == 0 || i + lead.length > text.size()) return i;
    if (at(i + 1) < lead.low || at(i + 1) > lead.high) return i;
    for (size_t k = 2; k < lead.length; ++k)
      if (at(i + k) < 0x80 || at(i + k) > 0xBF) return i;
    i += lead.length;
  }
  return std::nullopt;
}

std::string escape_non_utf8(std::string_view text) {
  std::string out;
  while (const auto bad = first_invalid_utf8(text)) {
    char escaped[8];
    std::snprintf(escaped, sizeof escaped, "\\x%02X", static_cast<unsigned char>(text[*bad]));
    out.append(text.substr(0, *bad)).append(escaped);
    text.remove_prefix(*bad + 1);
  }
  return out.append(text);
}

}  // namespace hft::config
