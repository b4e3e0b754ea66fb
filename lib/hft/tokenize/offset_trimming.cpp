#include "hft/tokenize/offset_trimming.h"

#include <algorithm>  // std::min, std::max

#include "hft/tokenize/unicode.h"  // decode_utf8, is_whitespace

namespace hft::tokenize {
namespace {

bool is_space(char32_t c) { return c == 0x120 || unicode::is_whitespace(c); }  // 'Ġ' is a byte-level space

}  // namespace

void trim_offsets(Encoding& encoding, const std::function<std::optional<std::string>(int32_t)>& token_of,
                  const OffsetTrimming& trimming) {
  if (!trimming.enabled) return;
  std::u32string chars;
  for (size_t i = 0; i < encoding.size(); ++i) {
    const auto token = token_of(encoding.input_ids[i]);
    if (!token || !unicode::decode_utf8(*token, chars)) continue;
    uint32_t leading = 0, trailing = 0;
    while (leading < chars.size() && is_space(chars[leading])) ++leading;
    while (trailing < chars.size() && is_space(chars[chars.size() - 1 - trailing])) ++trailing;
    auto& [begin, end] = encoding.offsets[i];
    if (leading > 0) {
      const bool is_first = i == 0 || begin == 0;
      if (is_first && trimming.add_prefix_space && leading == 1) leading = 0;
      begin = std::min(begin + leading, end);
    }
    if (trailing > 0 && end >= trailing) end = std::max(end - trailing, begin);
  }
}

}  // namespace hft::tokenize
