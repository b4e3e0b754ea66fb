// A model turns one word into token ids (WordPiece, BPE, Unigram). It also owns the vocabulary.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hft::tokenize {

// A token of a word: its id and the code points [begin, end) of the word it covers.
struct ModelToken {
  int32_t id;
  uint32_t begin;
  uint32_t end;
};

class Model {
 public:
  virtual ~Model() = default;
  // Appends the tokens of `word` (never empty) to `out`.
  virtual void tokenize(std::u32string_view word, std::vector<ModelToken>& out) const = 0;
  virtual std::optional<int32_t> token_to_id(std::string_view token) const = 0;
  virtual std::optional<std::string> id_to_token(int32_t id) const = 0;
  virtual size_t vocab_size() const = 0;
};

}  // namespace hft::tokenize
