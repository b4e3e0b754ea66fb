// tokenizer.json's Precompiled normalizer: the normalization rules of a SentencePiece model (NFKC
// and its own additions), which transformers copies from spiece.model when it converts a T5,
// ALBERT, XLNet or similar tokenizer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hft/tokenize/normalizer.h"  // Normalizer

namespace hft::tokenize {

// SentencePiece's precompiled_charsmap: a u32 (little-endian) byte size of the trie, the trie
// (darts-clone double-array units, u32 each), then the replacement strings, each ending in NUL.
// The trie maps the UTF-8 bytes of a character sequence to the offset of its replacement.
class PrecompiledCharsmap {
 public:
  // Throws std::invalid_argument when the blob is too short for the sizes it states.
  explicit PrecompiledCharsmap(std::string_view blob);

  // The replacement for `piece` (UTF-8) as the `tokenizers` library looks it up: the shortest
  // trie key that is a prefix of `piece` replaces all of `piece`. nullopt when none is.
  std::optional<std::string_view> replacement(std::string_view piece) const;

 private:
  std::optional<uint32_t> shortest_prefix_value(std::string_view key) const;

  std::vector<uint32_t> units_;
  std::string replacements_;
};

class PrecompiledNormalizer : public Normalizer {
 public:
  explicit PrecompiledNormalizer(PrecompiledCharsmap charsmap) : charsmap_(std::move(charsmap)) {}
  // Grapheme by grapheme: one under 6 bytes is replaced whole when the charsmap has it, else
  // each of its characters is looked up alone.
  void normalize(NormalizedText& text) const override;

 private:
  PrecompiledCharsmap charsmap_;
};

}  // namespace hft::tokenize
