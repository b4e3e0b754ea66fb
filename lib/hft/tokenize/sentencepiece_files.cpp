#include "hft/tokenize/sentencepiece_files.h"

#include <algorithm>  // sort, stable_sort
#include <tuple>

#include "hft/tokenize/bpe.h"                   // Bpe
#include "hft/tokenize/metaspace.h"             // MetaspacePreTokenizer
#include "hft/tokenize/precompiled_normalizer.h" // PrecompiledNormalizer
#include "hft/tokenize/sentencepiece_model.h"   // SentencePieceModel
#include "hft/tokenize/unicode.h"               // decode_utf8, to_utf8
#include "hft/tokenize/simple_normalizers.h"    // ReplaceNormalizer, NfkdNormalizer, ...
#include "hft/tokenize/simple_pre_tokenizers.h" // WhitespaceSplitPreTokenizer
#include "hft/tokenize/template_processing.h"   // TemplateProcessing
#include "hft/tokenize/tokenize_error.h"        // TokenizeError

namespace hft::tokenize {
namespace {

using Kind = TemplatePiece::Kind;

SentencePieceFamily family_of(const SentencePieceModel& model, const TokenizerConfig& config) {
  const std::string cls = config.tokenizer_class.value_or("");
  if (cls.rfind("T5", 0) == 0) return SentencePieceFamily::kT5;
  if (cls.rfind("Albert", 0) == 0) return SentencePieceFamily::kAlbert;
  if (cls.rfind("Llama", 0) == 0) return SentencePieceFamily::kLlama;
  if (model.token_to_id("[CLS]") && model.token_to_id("[SEP]")) return SentencePieceFamily::kAlbert;
  if (model.token_to_id("<s>")) return SentencePieceFamily::kLlama;
  return SentencePieceFamily::kT5;
}

// The model's control and unknown pieces become special added tokens, its user-defined pieces
// plain ones, all matched in the raw text (normalized=false), as the converted tokenizer has them.
std::vector<AddedToken> added_tokens_of(const SentencePieceModel& model) {
  std::vector<AddedToken> tokens;
  for (int32_t id = 0; id < static_cast<int32_t>(model.vocab_size()); ++id) {
    const PieceKind kind = model.kind(id);
    if (kind != PieceKind::kControl && kind != PieceKind::kUnknown && kind != PieceKind::kUserDefined) continue;
    AddedToken token;
    token.content = *model.id_to_token(id);
    token.id = id;
    token.special = kind != PieceKind::kUserDefined;
    token.normalized = false;
    tokens.push_back(std::move(token));
  }
  return tokens;
}

int32_t id_of(const SentencePieceModel& model, const std::string& token, const std::string& path) {
  const auto id = model.token_to_id(token);
  if (!id) throw TokenizeError(path, "has no piece \"" + token + "\", which this model's special tokens need");
  return *id;
}

// The model's own normalization rules (its precompiled charsmap); none when it has none.
std::unique_ptr<Normalizer> precompiled(const SentencePieceModel& model, const std::string& path) {
  const std::string& charsmap = model.precompiled_charsmap();
  if (charsmap.empty()) return nullptr;
  try {
    return std::make_unique<PrecompiledNormalizer>(PrecompiledCharsmap(charsmap));
  } catch (const std::invalid_argument& e) {
    throw TokenizeError(path, std::string("has a malformed precompiled_charsmap (") + e.what() + ")");
  }
}

TemplatePiece special(const std::string& token, int32_t type_id) { return {Kind::kSpecialToken, token, type_id}; }
TemplatePiece sequence(Kind kind, int32_t type_id) { return {kind, "", type_id}; }

void set_t5(TokenizerParts& parts, const SentencePieceModel& model, const std::string& path) {
  parts.normalizer = precompiled(model, path);
  const int32_t eos = id_of(model, "</s>", path);
  // <extra_id_0> is the last id: vocab + 99, down to <extra_id_99> at the vocabulary's size.
  const auto extra_ids = static_cast<int32_t>(model.vocab_size());
  for (int32_t i = 0; i < 100; ++i) {
    AddedToken token;
    token.content = "<extra_id_" + std::to_string(i) + ">";
    token.id = extra_ids + 99 - i;
    token.special = true;
    token.normalized = false;
    parts.added_tokens.push_back(std::move(token));
  }
  parts.post_processor = std::make_unique<TemplateProcessing>(
      std::vector<TemplatePiece>{sequence(Kind::kSequenceA, 0), special("</s>", 0)},
      std::vector<TemplatePiece>{sequence(Kind::kSequenceA, 0), special("</s>", 0), sequence(Kind::kSequenceB, 0),
                                 special("</s>", 0)},
      std::map<std::string, std::vector<int32_t>>{{"</s>", {eos}}}, path);
  parts.special_tokens.eos = "</s>";
  parts.special_tokens.unk = "<unk>";
  parts.special_tokens.pad = "<pad>";
  parts.decoder = metaspace_decoder(U'\u2581', MetaspacePrepend::kAlways);
}

void set_albert(TokenizerParts& parts, const SentencePieceModel& model, const TokenizerConfig& config,
                const std::string& path) {
  std::vector<std::unique_ptr<Normalizer>> steps;
  steps.push_back(std::make_unique<ReplaceNormalizer>(U"``", U"\""));
  steps.push_back(std::make_unique<ReplaceNormalizer>(U"''", U"\""));
  if (!config.keep_accents.value_or(false)) {
    steps.push_back(std::make_unique<NfkdNormalizer>());
    steps.push_back(std::make_unique<StripAccentsNormalizer>());
  }
  if (config.do_lower_case.value_or(true)) steps.push_back(std::make_unique<LowercaseNormalizer>());
  if (auto rules = precompiled(model, path)) steps.push_back(std::move(rules));
  parts.normalizer = std::make_unique<NormalizerSequence>(std::move(steps));
  parts.post_processor = bert_template("[CLS]", id_of(model, "[CLS]", path), "[SEP]", id_of(model, "[SEP]", path), path);
  parts.special_tokens = {"<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]", "[CLS]", "[SEP]"};
  parts.decoder = metaspace_decoder(U'\u2581', MetaspacePrepend::kAlways);
}

// One BPE merge: the pieces `left` and `right` (ids left_id, right_id) become the piece scored `score`.
struct ScoredMerge {
  std::string left, right;
  int32_t left_id, right_id;
  float score;
  size_t left_chars, right_chars;
};

// Llama's pieces as `tokenizers` BPE ranked like the sentencepiece library merges them: one merge
// (a, b) for every split of a piece into two pieces, the merged piece's score first (higher
// first), then longer a, then longer b, then the merged piece's id and the ids of a and b.
// That is transformers' generate_merges given the scores (tokenization_utils_base.py), which
// its SentencePieceExtractor and the hub's Llama tokenizer.json rank by. transformers 5.23
// converts a bare tokenizer.model without the scores, by piece id: then runs of spaces, whose
// pieces Llama scores -1e9 so that they merge last, become "▁▁" + "Hello" instead of the
// library's "▁" + "▁Hello".
std::unique_ptr<Bpe> llama_bpe(const SentencePieceModel& pieces, const std::string& path) {
  Vocab vocab;
  const auto n = static_cast<int32_t>(pieces.vocab_size());
  for (int32_t id = 0; id < n; ++id) vocab.add(*pieces.id_to_token(id), id);
  std::vector<ScoredMerge> merges;
  std::u32string chars;
  for (int32_t id = 0; id < n; ++id) {
    chars.clear();
    unicode::decode_utf8(*pieces.id_to_token(id), chars);
    const size_t first_of_piece = merges.size();
    for (size_t k = 1; k < chars.size(); ++k) {
      std::string left = unicode::to_utf8(std::u32string_view(chars).substr(0, k));
      std::string right = unicode::to_utf8(std::u32string_view(chars).substr(k));
      const auto left_id = vocab.find(left), right_id = vocab.find(right);
      if (left_id && right_id) {
        merges.push_back({std::move(left), std::move(right), *left_id, *right_id, pieces.score(id), k, chars.size() - k});
      }
    }
    std::sort(merges.begin() + static_cast<std::ptrdiff_t>(first_of_piece), merges.end(),
              [](const ScoredMerge& a, const ScoredMerge& b) {
                return std::pair(a.left_id, a.right_id) < std::pair(b.left_id, b.right_id);
              });
  }
  std::stable_sort(merges.begin(), merges.end(), [](const ScoredMerge& a, const ScoredMerge& b) {
    return std::tuple(a.score, a.left_chars, a.right_chars) > std::tuple(b.score, b.left_chars, b.right_chars);
  });
  std::vector<std::pair<std::string, std::string>> ranked;
  ranked.reserve(merges.size());
  for (auto& merge : merges) ranked.emplace_back(std::move(merge.left), std::move(merge.right));
  BpeOptions options;
  options.fuse_unk = true;
  options.byte_fallback = true;
  return std::make_unique<Bpe>(std::move(vocab), ranked, options, path);
}

void set_llama(TokenizerParts& parts, const SentencePieceModel& model, const TokenizerConfig& config,
               const std::string& path) {
  const bool bos = config.add_bos_token.value_or(true), eos = config.add_eos_token.value_or(false);
  std::vector<TemplatePiece> single, pair;
  if (bos) single.push_back(special("<s>", 0));
  single.push_back(sequence(Kind::kSequenceA, 0));
  if (eos) single.push_back(special("</s>", 0));
  pair = single;
  if (bos) pair.push_back(special("<s>", 1));
  pair.push_back(sequence(Kind::kSequenceB, 1));
  if (eos) pair.push_back(special("</s>", 1));
  std::map<std::string, std::vector<int32_t>> ids;
  if (bos) ids["<s>"] = {id_of(model, "<s>", path)};
  if (eos) ids["</s>"] = {id_of(model, "</s>", path)};
  parts.post_processor = std::make_unique<TemplateProcessing>(single, pair, ids, path);
  // "▁" before the text and for every space, as the sentencepiece library does and the hub's
  // Llama 2 tokenizer.json has it (transformers' legacy Llama conversion). transformers 5.23's
  // Metaspace pre-tokenizer instead adds no "▁" to a text that starts with a space, which gives
  // "   x" one "▁" fewer than the model saw in training.
  std::vector<std::unique_ptr<Normalizer>> normalizers;
  if (config.add_prefix_space.value_or(true)) normalizers.push_back(std::make_unique<PrependNormalizer>(U"\u2581"));
  normalizers.push_back(std::make_unique<ReplaceNormalizer>(U" ", U"\u2581"));
  parts.normalizer = std::make_unique<NormalizerSequence>(std::move(normalizers));
  parts.special_tokens.bos = "<s>";
  parts.special_tokens.eos = "</s>";
  parts.special_tokens.unk = "<unk>";
  parts.padding_side = PaddingSide::kLeft;
  // "▁" -> " ", bytes joined, one leading space off: LlamaTokenizer's decoder.
  std::vector<std::unique_ptr<Decoder>> steps;
  steps.push_back(replace_decoder("\u2581", " "));
  steps.push_back(byte_fallback_decoder());
  steps.push_back(fuse_decoder());
  if (config.add_prefix_space.value_or(true)) steps.push_back(strip_decoder(U' ', 1, 0));
  parts.decoder = decoder_sequence(std::move(steps));
}

}  // namespace

TokenizerParts read_sentencepiece(const std::string& model_path, const TokenizerConfig& config) {
  auto sp = std::make_unique<SentencePieceModel>(model_path);
  const SentencePieceFamily family = family_of(*sp, config);
  TokenizerParts parts;
  parts.source = model_path;
  parts.added_tokens = added_tokens_of(*sp);
  switch (family) {
    case SentencePieceFamily::kT5: set_t5(parts, *sp, model_path); break;
    case SentencePieceFamily::kAlbert: set_albert(parts, *sp, config, model_path); break;
    case SentencePieceFamily::kLlama: set_llama(parts, *sp, config, model_path); break;
  }
  // Llama as `tokenizers` BPE ranked by the pieces' scores; T5 and ALBERT as Unigram after
  // WhitespaceSplit and Metaspace.
  if (family == SentencePieceFamily::kLlama) {
    parts.model = llama_bpe(*sp, model_path);
  } else {
    std::vector<std::unique_ptr<PreTokenizer>> steps;
    steps.push_back(std::make_unique<WhitespaceSplitPreTokenizer>());
    steps.push_back(std::make_unique<MetaspacePreTokenizer>(MetaspaceOptions{U'\u2581', MetaspacePrepend::kAlways, true}));
    parts.pre_tokenizer = std::make_unique<PreTokenizerSequence>(std::move(steps));
    parts.model = sp->unigram();
  }
  if (config.padding_side == PaddingSide::kLeft) parts.padding_side = PaddingSide::kLeft;
  parts.model_max_length = config.model_max_length;
  return parts;
}

}  // namespace hft::tokenize
