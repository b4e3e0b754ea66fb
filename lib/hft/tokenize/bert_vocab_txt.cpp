#include "hft/tokenize/bert_vocab_txt.h"

#include <fstream>

#include "hft/tokenize/bert_normalizer.h"      // BertNormalizer
#include "hft/tokenize/bert_pre_tokenizer.h"   // BertPreTokenizer
#include "hft/tokenize/template_processing.h"  // TemplateProcessing
#include "hft/tokenize/tokenize_error.h"       // TokenizeError
#include "hft/tokenize/wordpiece.h"            // WordPiece

namespace hft::tokenize {
namespace {

// Line i is token i; trailing whitespace (and a CR) is not part of the token, as in the
// `tokenizers` WordPiece file reader.
Vocab read_vocab_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TokenizeError(path, "cannot be read (check that the file exists and is readable)");
  Vocab vocab;
  std::string line;
  int32_t id = 0;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
    vocab.add(line, id++);
  }
  if (id == 0) throw TokenizeError(path, "is empty (expected one token per line)");
  return vocab;
}

SpecialTokens bert_special_tokens(const SpecialTokens& named) {
  SpecialTokens s = named;
  if (!s.unk) s.unk = "[UNK]";
  if (!s.sep) s.sep = "[SEP]";
  if (!s.pad) s.pad = "[PAD]";
  if (!s.cls) s.cls = "[CLS]";
  if (!s.mask) s.mask = "[MASK]";
  return s;
}

// The special tokens become added tokens (special, matched in the raw text); one missing from
// the vocabulary gets the next free id, as `transformers` gives it.
std::vector<AddedToken> special_added_tokens(const SpecialTokens& s, const Model& model) {
  std::vector<AddedToken> tokens;
  int32_t next_id = static_cast<int32_t>(model.vocab_size());
  for (const auto* name : {&s.pad, &s.unk, &s.cls, &s.sep, &s.mask}) {
    AddedToken token;
    token.content = **name;
    token.special = true;
    token.normalized = false;
    token.id = model.token_to_id(token.content).value_or(next_id);
    if (token.id == next_id) ++next_id;
    tokens.push_back(token);
  }
  return tokens;
}

int32_t id_of(const std::vector<AddedToken>& tokens, const std::string& content) {
  for (const auto& t : tokens) {
    if (t.content == content) return t.id;
  }
  return 0;
}

}  // namespace

TokenizerParts read_bert_vocab_txt(const std::string& vocab_path, const TokenizerConfig& config) {
  TokenizerParts parts;
  parts.source = vocab_path;
  parts.special_tokens = bert_special_tokens(config.special_tokens);
  parts.padding_side = config.padding_side;

  BertNormalizerOptions normalizer;
  normalizer.lowercase = config.do_lower_case.value_or(true);
  normalizer.strip_accents = config.strip_accents.value_or(normalizer.lowercase);
  normalizer.handle_chinese_chars = config.tokenize_chinese_chars.value_or(true);
  parts.normalizer = std::make_unique<BertNormalizer>(normalizer);
  parts.pre_tokenizer = std::make_unique<BertPreTokenizer>();

  WordPieceOptions wordpiece;
  wordpiece.unk_token = *parts.special_tokens.unk;
  parts.model = std::make_unique<WordPiece>(read_vocab_lines(vocab_path), wordpiece, vocab_path);
  parts.added_tokens = special_added_tokens(parts.special_tokens, *parts.model);

  const std::string& cls = *parts.special_tokens.cls;
  const std::string& sep = *parts.special_tokens.sep;
  parts.post_processor =
      bert_template(cls, id_of(parts.added_tokens, cls), sep, id_of(parts.added_tokens, sep), vocab_path);
  parts.decoder = wordpiece_decoder("##", /*cleanup=*/true);  // BertTokenizer's
  return parts;
}

}  // namespace hft::tokenize
