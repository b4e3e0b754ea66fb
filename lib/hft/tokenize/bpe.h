// BPE: a word starts as one symbol per character and pairs of adjacent symbols are merged,
// always the pair whose merge has the lowest rank (earliest in the merges list), leftmost first,
// until no adjacent pair has a merge.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hft/tokenize/bpe_word_cache.h"  // BpeWordCache
#include "hft/tokenize/model.h"           // Model
#include "hft/tokenize/vocab.h"           // Vocab

namespace hft::tokenize {

struct BpeOptions {
  std::optional<std::string> unk_token;   // for characters the vocabulary lacks (GPT-2: none)
  std::string continuing_subword_prefix;  // on every symbol but a word's first
  std::string end_of_word_suffix;         // on a word's last symbol
  bool fuse_unk = false;                  // consecutive unknowns become one
  bool byte_fallback = false;             // unknown chars as <0xNN> byte tokens
  bool ignore_merges = false;             // a word that is in the vocabulary is one token
};

class Bpe : public Model {
 public:
  // `merges`: the pairs in rank order. Throws TokenizeError (naming `source`) for a merge whose
  // parts or result are not in the vocabulary.
  Bpe(Vocab vocab, const std::vector<std::pair<std::string, std::string>>& merges, BpeOptions options,
      const std::string& source);

  void tokenize(std::u32string_view word, std::vector<ModelToken>& out) const override;
  std::optional<int32_t> token_to_id(std::string_view token) const override { return vocab_.find(token); }
  std::optional<std::string> id_to_token(int32_t id) const override { return vocab_.token(id); }
  size_t vocab_size() const override { return vocab_.size(); }

 private:
  struct Merge {
    int32_t rank;
    int32_t new_id;
  };
  // Starting symbols: one per character (per byte with byte_fallback); a character without a
  // token becomes unk_token, or is dropped when there is none.
  void initial_symbols(std::u32string_view word, std::vector<ModelToken>& symbols) const;
  void merge_all(std::vector<ModelToken>& symbols) const;
  static uint64_t key(int32_t a, int32_t b) { return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b); }

  Vocab vocab_;
  BpeOptions options_;
  std::unordered_map<uint64_t, Merge> merges_;
  std::optional<int32_t> unk_id_;
  mutable BpeWordCache cache_;  // words merged before, for every thread
};

}  // namespace hft::tokenize
