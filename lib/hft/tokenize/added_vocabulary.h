// Added tokens ([CLS], [MASK], user tokens): found in the text before the model sees it, each
// becoming exactly its id. Tokens with normalized=false are matched in the raw text (before
// normalization), the others in the normalized text, as `tokenizers` does; the leftmost match
// wins, and of those the longest.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace hft::tokenize {

class Normalizer;

struct AddedToken {
  std::string content;
  int32_t id = 0;
  bool special = false;
  bool single_word = false;  // match only where not inside a word
  bool lstrip = false;       // the match swallows whitespace on its left
  bool rstrip = false;       // ... and on its right
  bool normalized = true;    // match in the normalized text (false: in the raw text)
};

// A piece of text: code points [begin, end), and the added token's id when it is one.
struct TextPiece {
  uint32_t begin;
  uint32_t end;
  std::optional<int32_t> id;
};

class AddedVocabulary {
 public:
  // `normalizer` (may be null) prepares the patterns of tokens with normalized=true.
  AddedVocabulary() = default;
  AddedVocabulary(std::vector<AddedToken> tokens, const Normalizer* normalizer);

  // Splits `text` into pieces covering it, in order. `normalized` picks which tokens match.
  std::vector<TextPiece> split(std::u32string_view text, bool normalized) const;

  std::optional<int32_t> find(std::string_view content) const;
  std::optional<std::string> content(int32_t id) const;
  const std::vector<AddedToken>& tokens() const { return tokens_; }

 private:
  struct Pattern {
    std::u32string chars;
    size_t token;  // index into tokens_
  };
  struct Patterns {
    std::unordered_map<char32_t, std::vector<Pattern>> by_first_char;
    std::array<bool, 128> ascii_first = {};  // ASCII chars that start a pattern: most text skips the map
    bool empty() const { return by_first_char.empty(); }
    void add(Pattern pattern);
  };
  // The longest pattern matching at `pos`, if any.
  const Pattern* longest_at(const Patterns& patterns, std::u32string_view text, size_t pos) const;

  std::vector<AddedToken> tokens_;
  Patterns raw_;
  Patterns normalized_;
};

}  // namespace hft::tokenize
