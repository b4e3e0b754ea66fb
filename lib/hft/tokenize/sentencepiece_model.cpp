#include "hft/tokenize/sentencepiece_model.h"

#include <sentencepiece_processor.h>

#include <fstream>
#include <iterator>  // std::istreambuf_iterator
#include <stdexcept>
#include <utility>
#include <vector>

#include "hft/tokenize/protobuf_wire.h"   // length_delimited_field, varint_field
#include "hft/tokenize/tokenize_error.h"  // TokenizeError

namespace hft::tokenize {

struct SentencePieceModel::Processor {
  sentencepiece::SentencePieceProcessor sp;
};

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TokenizeError(path, "cannot be read (check that the file exists and is readable)");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void load(sentencepiece::SentencePieceProcessor& sp, const std::string& bytes, const std::string& path) {
  const auto status = sp.LoadFromSerializedProto(bytes);
  if (!status.ok()) {
    throw TokenizeError(path, "is not a SentencePiece model (" + std::string(status.message()) +
                                  "; expected the spiece.model / tokenizer.model of a T5, ALBERT or Llama checkpoint)");
  }
}

}  // namespace

// Field numbers of sentencepiece_model.proto: ModelProto.trainer_spec = 2, .normalizer_spec = 3;
// TrainerSpec.byte_fallback = 35; NormalizerSpec.precompiled_charsmap = 2.
SentencePieceModel::SentencePieceModel(const std::string& path) : sp_(std::make_unique<Processor>()), path_(path) {
  const std::string proto = read_file(path);
  load(sp_->sp, proto, path);
  try {  // the library has parsed the file already: these reads only pick fields out of it
    if (const auto trainer = length_delimited_field(proto, 2))
      byte_fallback_ = varint_field(*trainer, 35).value_or(0) != 0;
    const auto normalizer = length_delimited_field(proto, 3);
    if (const auto charsmap = normalizer ? length_delimited_field(*normalizer, 2) : std::nullopt)
      precompiled_charsmap_ = std::string(*charsmap);
  } catch (const std::invalid_argument& e) {
    throw TokenizeError(path, std::string("is not a well-formed SentencePiece model (") + e.what() + ")");
  }
}

SentencePieceModel::~SentencePieceModel() = default;

std::unique_ptr<Unigram> SentencePieceModel::unigram() const {
  std::vector<std::pair<std::string, double>> scored;
  scored.reserve(vocab_size());
  for (int id = 0; id < sp_->sp.GetPieceSize(); ++id) scored.emplace_back(sp_->sp.IdToPiece(id), sp_->sp.GetScore(id));
  return std::make_unique<Unigram>(scored, UnigramOptions{sp_->sp.unk_id(), byte_fallback_}, path_);
}

std::optional<int32_t> SentencePieceModel::token_to_id(std::string_view token) const {
  const int id = sp_->sp.PieceToId(std::string(token));
  if (id == sp_->sp.unk_id() && sp_->sp.IdToPiece(id) != token) return std::nullopt;
  return id;
}

std::optional<std::string> SentencePieceModel::id_to_token(int32_t id) const {
  if (id < 0 || id >= sp_->sp.GetPieceSize()) return std::nullopt;
  return sp_->sp.IdToPiece(id);
}

float SentencePieceModel::score(int32_t id) const { return sp_->sp.GetScore(id); }

size_t SentencePieceModel::vocab_size() const { return static_cast<size_t>(sp_->sp.GetPieceSize()); }

PieceKind SentencePieceModel::kind(int32_t id) const {
  const auto& sp = sp_->sp;
  if (sp.IsUnknown(id)) return PieceKind::kUnknown;
  if (sp.IsControl(id)) return PieceKind::kControl;
  if (sp.IsByte(id)) return PieceKind::kByte;
  if (sp.IsUnused(id)) return PieceKind::kUnused;
  // The API has no IsUserDefined: user-defined pieces are the plain ones scored exactly 0
  // (trained pieces have negative log-probabilities or negative BPE ranks).
  return sp.GetScore(id) == 0.0f ? PieceKind::kUserDefined : PieceKind::kNormal;
}

}  // namespace hft::tokenize
