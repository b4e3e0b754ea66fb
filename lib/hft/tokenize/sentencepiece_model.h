// A SentencePiece .model file (spiece.model, tokenizer.model) read by the sentencepiece library:
// its pieces with their scores and kinds, and its normalization rules (the precompiled
// charsmap), from which sentencepiece_files.h builds the tokenizer transformers converts the
// file to.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hft/tokenize/unigram.h"  // Unigram

namespace hft::tokenize {

// What a piece of the model is (sentencepiece's ModelProto.SentencePiece.Type).
enum class PieceKind { kNormal, kUnknown, kControl, kUserDefined, kByte, kUnused };

class SentencePieceModel {
 public:
  // Throws TokenizeError naming `path` when the file is missing or not a SentencePiece model.
  explicit SentencePieceModel(const std::string& path);
  ~SentencePieceModel();

  std::optional<int32_t> token_to_id(std::string_view token) const;
  std::optional<std::string> id_to_token(int32_t id) const;
  size_t vocab_size() const;
  PieceKind kind(int32_t id) const;
  // The piece's score: its log-probability (unigram) or its merge priority, higher first (BPE).
  float score(int32_t id) const;

  // The pieces and scores as `tokenizers` Unigram, with the model's unk id and byte fallback,
  // as transformers converts a unigram model.
  std::unique_ptr<Unigram> unigram() const;

  // NormalizerSpec.precompiled_charsmap: the model's normalization rules (NFKC and its own);
  // empty when the model has none.
  const std::string& precompiled_charsmap() const { return precompiled_charsmap_; }

 private:
  struct Processor;
  std::unique_ptr<Processor> sp_;
  std::string path_;
  bool byte_fallback_ = false;        // TrainerSpec.byte_fallback
  std::string precompiled_charsmap_;  // NormalizerSpec.precompiled_charsmap
};

}  // namespace hft::tokenize
