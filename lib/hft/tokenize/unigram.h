// Unigram (SentencePiece's unigram language model, as `tokenizers` runs it): a word is split
// into the pieces whose scores (log probabilities) sum highest, found by Viterbi over a trie of
// the pieces. A char no piece covers is unknown (scored min - 10); runs of unknowns are fused.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hft/tokenize/model.h"  // Model
#include "hft/tokenize/vocab.h"  // Vocab

namespace hft::tokenize {

struct UnigramOptions {
  int32_t unk_id = 0;
  bool byte_fallback = false;  // unknown text as <0xNN> byte pieces, where all exist
};

class Unigram : public Model {
 public:
  // `pieces[id]` = (piece, score). Throws TokenizeError (naming `source`) for an empty list or
  // an unk_id outside it.
  Unigram(const std::vector<std::pair<std::string, double>>& pieces, UnigramOptions options, const std::string& source);

  void tokenize(std::u32string_view word, std::vector<ModelToken>& out) const override;
  std::optional<int32_t> token_to_id(std::string_view token) const override { return vocab_.find(token); }
  std::optional<std::string> id_to_token(int32_t id) const override { return vocab_.token(id); }
  size_t vocab_size() const override { return scores_.size(); }

 private:
  // Trie over code points: child of (node, char) in one hash map; node_ids_[node] = piece id or -1.
  uint32_t child(uint32_t node, char32_t c) const;
  void insert(std::u32string_view piece, int32_t id);
  void push_unknown(std::u32string_view word, uint32_t begin, uint32_t end, std::vector<ModelToken>& out) const;

  Vocab vocab_;
  std::vector<double> scores_;
  UnigramOptions options_;
  double unk_score_ = 0;
  std::unordered_map<uint64_t, uint32_t> children_;
  std::vector<int32_t> node_ids_{-1};  // node 0: the root
};

}  // namespace hft::tokenize
