// tokenizer_config.json and special_tokens_map.json: the `transformers` settings that sit
// beside the tokenizer files (special tokens, lowercasing of BERT vocab.txt, padding side).
#pragma once

#include <optional>
#include <string>

#include "hft/tokenize/special_tokens.h"  // SpecialTokens, PaddingSide

namespace hft::tokenize {

struct TokenizerConfig {
  SpecialTokens special_tokens;  // only what the files name
  PaddingSide padding_side = PaddingSide::kRight;
  std::optional<size_t> model_max_length;  // absent or the "no limit" sentinel (1e30): unset
  std::optional<bool> do_lower_case;
  std::optional<bool> strip_accents;
  std::optional<bool> tokenize_chinese_chars;
  std::optional<bool> add_prefix_space;  // byte-level BPE (GPT-2, RoBERTa), Llama
  // SentencePiece models (T5, ALBERT, Llama): which one, and their switches.
  std::optional<std::string> tokenizer_class;  // "T5Tokenizer", "AlbertTokenizerFast", ...
  std::optional<bool> keep_accents;            // ALBERT
  std::optional<bool> add_bos_token;           // Llama
  std::optional<bool> add_eos_token;           // Llama
};

// Reads DIR/tokenizer_config.json and DIR/special_tokens_map.json where present (the second
// fills what the first leaves out). Throws TokenizeError for malformed files or values.
TokenizerConfig read_tokenizer_config(const std::string& dir);

}  // namespace hft::tokenize
