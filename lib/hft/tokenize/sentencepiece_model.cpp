#include "hft/tokenize/sentencepiece_model.h"

#include <sentencepiece_processor.h>

#include <algorithm>  // std::min
#include <fstream>
#include <iterator>   // std::istreambuf_iterator

#include "hft/tokenize/tokenize_error.h"  // TokenizeError
#include "hft/tokenize/unicode.h"         // to_utf8

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

SentencePieceModel::SentencePieceModel(const std::string& path) : sp_(std::make_unique<Processor>()) {
  load(sp_->sp, read_file(path), path);
  std::vector<std::pair<std::string, double>> scored;
  scored.reserve(static_cast<size_t>(sp_->sp.GetPieceSize()));
  for (int id = 0; id < sp_->sp.GetPieceSize(); ++id) scored.emplace_back(sp_->sp.IdToPiece(id), sp_->sp.GetScore(id));
  unigram_ = std::make_unique<Unigram>(scored, UnigramOptions{sp_->sp.unk_id(), false}, path);
}

SentencePieceModel::~SentencePieceModel() = default;

// The library normalizes: the pieces of its own encoding, joined, are the normalized word (with
// the dummy "▁"), each piece knowing the chars of the word it came from. Unigram then splits
// that text as `tokenizers` does (the library breaks ties between equal paths differently).
void SentencePieceModel::tokenize(std::u32string_view word, std::vector<ModelToken>& out) const {
  sentencepiece::ImmutableSentencePieceText pieces = sp_->sp.EncodeAsImmutableProto(unicode::to_utf8(word));
  pieces.ConvertToUnicodeSpans();
  const uint32_t n = static_cast<uint32_t>(word.size());
  std::u32string normalized, piece;
  std::vector<uint32_t> from;  // per normalized char: the char of the word it stands for
  for (const auto& p : pieces.pieces()) {
    piece.clear();
    unicode::decode_utf8(p.piece(), piece);
    const uint32_t begin = std::min(p.begin(), n), end = std::min(p.end(), n);
    const bool dummy = !piece.empty() && piece[0] == U'\u2581' && (begin == end || word[begin] != U'\u2581');
    const size_t body = piece.size() - (dummy ? 1 : 0);
    // Controls the normalizer dropped lead the surface; they are no token's chars.
    uint32_t first = begin;
    while (first < end && end - first > body && unicode::is_other_control_format_private(word[first])) ++first;
    // The dummy "▁" stands for the char after it, as Metaspace aligns the one it prepends.
    const uint32_t after = first < end ? first : std::min(end, n - 1);
    if (dummy) {
      normalized.push_back(piece[0]);
      from.push_back(after);
    }
    // Char j of the piece stands for char j of its surface (the last one when the normalizer
    // made more chars, "ﬁ" -> "fi"; marks composed away are left out, as `tokenizers` aligns).
    for (size_t j = dummy ? 1 : 0, i = 0; j < piece.size(); ++j, ++i) {
      normalized.push_back(piece[j]);
      from.push_back(first < end ? std::min(first + static_cast<uint32_t>(i), end - 1) : after);
    }
  }
  std::vector<ModelToken> tokens;
  unigram_->tokenize(normalized, tokens);
  for (const ModelToken& t : tokens) out.push_back({t.id, from[t.begin], from[t.end - 1] + 1});
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

std::string SentencePieceModel::decode(const std::vector<int32_t>& ids) const {
  return sp_->sp.DecodeIds(std::vector<int>(ids.begin(), ids.end()));
}

}  // namespace hft::tokenize
