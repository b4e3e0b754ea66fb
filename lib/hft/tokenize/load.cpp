#include "hft/tokenize/load.h"

#include <filesystem>

#include "hft/tokenize/bert_vocab_txt.h"    // read_bert_vocab_txt
#include "hft/tokenize/bpe_files.h"         // read_gpt2_vocab_json
#include "hft/tokenize/byte_level_pre_tokenizer.h"  // ByteLevelPreTokenizer
#include "hft/tokenize/sentencepiece_files.h"  // read_sentencepiece
#include "hft/tokenize/tokenize_error.h"    // TokenizeError
#include "hft/tokenize/tokenizer_config.h"  // read_tokenizer_config
#include "hft/tokenize/tokenizer_json.h"    // read_tokenizer_json

namespace hft::tokenize {
namespace {

namespace fs = std::filesystem;

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// Special tokens the files do not name: keep what tokenizer.json's parts imply.
void merge_special_tokens(SpecialTokens& into, const SpecialTokens& named) {
  for (auto [slot, value] : {std::pair{&into.pad, &named.pad}, {&into.unk, &named.unk}, {&into.cls, &named.cls},
                             {&into.sep, &named.sep}, {&into.mask, &named.mask}, {&into.bos, &named.bos},
                             {&into.eos, &named.eos}}) {
    if (*value) *slot = *value;
  }
}

// tokenizer.json names no special-token roles itself; for a WordPiece (BERT) vocabulary the
// roles are the BERT tokens it has.
SpecialTokens infer_special_tokens(const TokenizerParts& parts) {
  SpecialTokens s;
  auto has = [&](const char* token) {
    for (const auto& added : parts.added_tokens) {
      if (added.content == token) return true;
    }
    return parts.model->token_to_id(token).has_value();
  };
  if (has("[PAD]")) s.pad = "[PAD]";
  if (has("[UNK]")) s.unk = "[UNK]";
  if (has("[CLS]")) s.cls = "[CLS]";
  if (has("[SEP]")) s.sep = "[SEP]";
  if (has("[MASK]")) s.mask = "[MASK]";
  return s;
}

// from_pretrained(..., add_prefix_space=...) of transformers' byte-level classes rebuilds the
// ByteLevel pre-tokenizer with it (RobertaTokenizer also its RobertaProcessing, whose flag keeps
// the added space out of the first token's trimmed offsets). A pre-tokenizer that is not plain
// ByteLevel is left as it is: no transformers class sets the flag on one.
void set_prefix_space(TokenizerParts& parts, bool add_prefix_space) {
  const auto* byte_level = dynamic_cast<const ByteLevelPreTokenizer*>(parts.pre_tokenizer.get());
  if (!byte_level) return;
  ByteLevelOptions options = byte_level->options();
  options.add_prefix_space = add_prefix_space;
  parts.pre_tokenizer = std::make_unique<ByteLevelPreTokenizer>(options);
  parts.offset_trimming.add_prefix_space = add_prefix_space;
}

Tokenizer load_tokenizer_json(const fs::path& file, const TokenizerConfig& config, const LoadOptions& options) {
  TokenizerParts parts = read_tokenizer_json(file.string());
  if (options.add_prefix_space) set_prefix_space(parts, *options.add_prefix_space);
  parts.special_tokens = infer_special_tokens(parts);
  merge_special_tokens(parts.special_tokens, config.special_tokens);
  parts.padding_side = config.padding_side;
  parts.model_max_length = config.model_max_length;
  return Tokenizer(std::move(parts));
}

Tokenizer load_vocab_txt(const fs::path& file, TokenizerConfig config) {
  if (!config.do_lower_case) config.do_lower_case = guess_do_lower_case(file.parent_path().string());
  TokenizerParts parts = read_bert_vocab_txt(file.string(), config);
  parts.model_max_length = config.model_max_length;
  return Tokenizer(std::move(parts));
}

Tokenizer load_vocab_json(const fs::path& dir, const TokenizerConfig& config, const LoadOptions& options) {
  const bool add_prefix_space = options.add_prefix_space.value_or(config.add_prefix_space.value_or(false));
  return Tokenizer(
      read_gpt2_vocab_json((dir / "vocab.json").string(), (dir / "merges.txt").string(), config, add_prefix_space));
}

Tokenizer load_sentencepiece(const fs::path& file, const TokenizerConfig& config) {
  TokenizerParts parts = read_sentencepiece(file.string(), config);
  merge_special_tokens(parts.special_tokens, config.special_tokens);
  return Tokenizer(std::move(parts));
}

// The SentencePiece file names of the T5/ALBERT (spiece.model) and Llama (tokenizer.model) folders.
constexpr const char* kSentencePieceFiles[] = {"spiece.model", "tokenizer.model"};

[[noreturn]] void nothing_loadable(const fs::path& dir) {
  std::string what =
      "has no tokenizer hft can read (expected tokenizer.json, vocab.txt for BERT, vocab.json + merges.txt for GPT-2, "
      "or spiece.model / tokenizer.model for T5, ALBERT or Llama)";
  for (const char* name : {"vocab.json", "sentencepiece.bpe.model"}) {
    if (is_file(dir / name)) {
      what += "; it has " + std::string(name) + ", which hft does not read yet";
      break;
    }
  }
  throw TokenizeError(dir.string(), what);
}

}  // namespace

bool guess_do_lower_case(const std::string& dir) {
  const std::string name = fs::path(dir).lexically_normal().filename().string().empty()
                               ? fs::path(dir).lexically_normal().parent_path().filename().string()
                               : fs::path(dir).lexically_normal().filename().string();
  return !(name.find("cased") != std::string::npos && name.find("uncased") == std::string::npos);
}

Tokenizer load(const std::string& path, const LoadOptions& options) {
  const fs::path given(path);
  std::error_code ec;
  if (is_file(given)) {
    const fs::path dir = given.parent_path().empty() ? fs::path(".") : given.parent_path();
    const TokenizerConfig config = read_tokenizer_config(dir.string());
    if (given.filename() == "vocab.txt") return load_vocab_txt(given, config);
    if (given.filename() == "vocab.json") return load_vocab_json(dir, config, options);
    if (given.extension() == ".model") return load_sentencepiece(given, config);
    return load_tokenizer_json(given, config, options);
  }
  if (!fs::is_directory(given, ec)) {
    throw TokenizeError(path, "does not exist (expected a model folder with tokenizer.json, vocab.txt, vocab.json + "
                              "merges.txt, spiece.model or tokenizer.model)");
  }
  const TokenizerConfig config = read_tokenizer_config(path);
  if (is_file(given / "tokenizer.json")) return load_tokenizer_json(given / "tokenizer.json", config, options);
  if (is_file(given / "vocab.txt")) return load_vocab_txt(given / "vocab.txt", config);
  if (is_file(given / "vocab.json") && is_file(given / "merges.txt")) return load_vocab_json(given, config, options);
  for (const char* name : kSentencePieceFiles) {
    if (is_file(given / name)) return load_sentencepiece(given / name, config);
  }
  nothing_loadable(given);
}

}  // namespace hft::tokenize
