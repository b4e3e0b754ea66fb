// A SentencePiece unigram .model file (T5, ALBERT) read by the sentencepiece library. The
// library normalizes each word (the model's own rules: nmt_nfkc) and prepends its "▁" (the
// model's add_dummy_prefix), where the converted `tokenizers` pipeline has Precompiled and
// Metaspace(prepend_scheme always); the pieces are then found by Unigram (unigram.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hft/tokenize/model.h"    // Model, ModelToken
#include "hft/tokenize/unigram.h"  // Unigram

namespace hft::tokenize {

// What a piece of the model is (sentencepiece's ModelProto.SentencePiece.Type).
enum class PieceKind { kNormal, kUnknown, kControl, kUserDefined, kByte, kUnused };

class SentencePieceModel : public Model {
 public:
  // Throws TokenizeError naming `path` when the file is missing or not a SentencePiece model.
  explicit SentencePieceModel(const std::string& path);
  ~SentencePieceModel() override;

  void tokenize(std::u32string_view word, std::vector<ModelToken>& out) const override;
  std::optional<int32_t> token_to_id(std::string_view token) const override;
  std::optional<std::string> id_to_token(int32_t id) const override;
  size_t vocab_size() const override;

  PieceKind kind(int32_t id) const;
  // The text of `ids` as the library decodes it ("▁" -> " ", bytes joined, the leading space of
  // the dummy prefix dropped).
  std::string decode(const std::vector<int32_t>& ids) const;

 private:
  struct Processor;
  std::unique_ptr<Processor> sp_;
  std::unique_ptr<Unigram> unigram_;  // the same pieces and scores
};

}  // namespace hft::tokenize
