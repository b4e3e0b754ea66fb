// WordPiece: greedy longest-match-first splitting of a word into vocabulary pieces, pieces
// after the first carrying the continuing prefix ("##"); a word with any unmatched part, or
// longer than max_input_chars_per_word, becomes the single unknown token.
#pragma once

#include <string>

#include "hft/tokenize/model.h"  // Model
#include "hft/tokenize/vocab.h"  // Vocab

namespace hft::tokenize {

struct WordPieceOptions {
  std::string unk_token = "[UNK]";
  std::string continuing_subword_prefix = "##";
  size_t max_input_chars_per_word = 100;
};

class WordPiece : public Model {
 public:
  // Throws TokenizeError (naming `source`) when unk_token is not in the vocabulary.
  WordPiece(Vocab vocab, WordPieceOptions options, const std::string& source);

  void tokenize(std::u32string_view word, std::vector<ModelToken>& out) const override;
  std::optional<int32_t> token_to_id(std::string_view token) const override { return vocab_.find(token); }
  std::optional<std::string> id_to_token(int32_t id) const override { return vocab_.token(id); }
  size_t vocab_size() const override { return vocab_.size(); }

 private:
  Vocab vocab_;
  WordPieceOptions options_;
  int32_t unk_id_;
};

}  // namespace hft::tokenize
