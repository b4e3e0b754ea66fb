#include "hft/tokenize/precompiled_normalizer.h"

#include <stdexcept>

#include "hft/tokenize/unicode.h"  // grapheme_end, append_utf8, decode_utf8

namespace hft::tokenize {
namespace {

// A darts-clone double-array unit: the label byte (with a high bit that never matches a byte),
// a has-leaf flag, and the XOR offset to the children (or, in a leaf, the value).
uint32_t unit_label(uint32_t unit) { return unit & ((1u << 31) | 0xFFu); }
bool unit_has_leaf(uint32_t unit) { return ((unit >> 8) & 1u) == 1u; }
uint32_t unit_value(uint32_t unit) { return unit & ((1u << 31) - 1); }
uint32_t unit_offset(uint32_t unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); }

uint32_t read_u32_le(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
}

// Replaces text chars [begin, end) by `replacement`: the k-th new char stands for the k-th old
// one; extra new chars for the last old one, as `tokenizers` aligns such a rewrite.
void push_replacement(const NormalizedText& text, size_t begin, size_t end, std::u32string_view replacement,
                      NormalizedText& out) {
  for (size_t k = 0; k < replacement.size(); ++k) {
    const size_t from = begin + std::min(k, end - begin - 1);
    out.push(replacement[k], text.origin_begin[from], text.origin_end[from]);
  }
}

}  // namespace

PrecompiledCharsmap::PrecompiledCharsmap(std::string_view blob) {
  if (blob.size() < 4) throw std::invalid_argument("precompiled_charsmap is shorter than its 4-byte header");
  const uint32_t trie_bytes = read_u32_le(blob.data());
  if (trie_bytes % 4 != 0 || trie_bytes > blob.size() - 4) {
    throw std::invalid_argument("precompiled_charsmap states a trie of " + std::to_string(trie_bytes) +
                                " bytes, more than it holds or not whole units");
  }
  units_.resize(trie_bytes / 4);
  for (size_t i = 0; i < units_.size(); ++i) units_[i] = read_u32_le(blob.data() + 4 + 4 * i);
  replacements_ = std::string(blob.substr(4 + trie_bytes));
  std::u32string decoded;
  if (!unicode::decode_utf8(replacements_, decoded)) {
    throw std::invalid_argument("precompiled_charsmap has replacement strings that are not UTF-8");
  }
}

// darts-clone's common-prefix search, stopped at the first (shortest) match.
std::optional<uint32_t> PrecompiledCharsmap::shortest_prefix_value(std::string_view key) const {
  if (units_.empty()) return std::nullopt;
  size_t node = unit_offset(units_[0]);
  for (const char byte : key) {
    const auto label = static_cast<unsigned char>(byte);
    if (label == 0) break;
    node ^= label;
    if (node >= units_.size() || unit_label(units_[node]) != label) return std::nullopt;
    const uint32_t unit = units_[node];
    node ^= unit_offset(unit);
    if (node >= units_.size()) return std::nullopt;
    if (unit_has_leaf(unit)) return unit_value(units_[node]);
  }
  return std::nullopt;
}

std::optional<std::string_view> PrecompiledCharsmap::replacement(std::string_view piece) const {
  const std::optional<uint32_t> offset = shortest_prefix_value(piece);
  if (!offset || *offset >= replacements_.size()) return std::nullopt;
  const std::string_view rest = std::string_view(replacements_).substr(*offset);
  return rest.substr(0, rest.find('\0'));
}

void PrecompiledNormalizer::normalize(NormalizedText& text) const {
  NormalizedText out;
  out.reserve(text.size());
  std::u32string replaced;
  std::string piece;  // the UTF-8 of chars [begin, end), what the charsmap is keyed by
  // Rewrites chars [begin, end) when the charsmap has `piece`; false leaves them to the caller.
  auto rewrite = [&](size_t begin, size_t end) {
    const std::optional<std::string_view> replacement = charsmap_.replacement(piece);
    if (!replacement) return false;
    unicode::decode_utf8(*replacement, replaced);  // checked to be UTF-8 when loaded
    push_replacement(text, begin, end, replaced, out);
    return true;
  };
  for (size_t begin = 0; begin < text.size();) {
    const size_t end = unicode::grapheme_end(text.chars, begin);
    piece.clear();
    for (size_t i = begin; i < end; ++i) unicode::append_utf8(text.chars[i], piece);
    if (!(piece.size() < 6 && rewrite(begin, end))) {
      for (size_t i = begin; i < end; ++i) {
        piece.clear();
        unicode::append_utf8(text.chars[i], piece);
        if (!rewrite(i, i + 1)) out.push(text.chars[i], text.origin_begin[i], text.origin_end[i]);
      }
    }
    begin = end;
  }
  text = std::move(out);
}

}  // namespace hft::tokenize
