// The older BERT files: vocab.txt (one WordPiece token per line, id = line number) with the
// settings of tokenizer_config.json, built the way `transformers`' BertTokenizer builds it.
#pragma once

#include <string>

#include "hft/tokenize/tokenizer.h"         // TokenizerParts
#include "hft/tokenize/tokenizer_config.h"  // TokenizerConfig

namespace hft::tokenize {

// `config.do_lower_case` must be set (load() decides it when the files do not).
TokenizerParts read_bert_vocab_txt(const std::string& vocab_path, const TokenizerConfig& config);

}  // namespace hft::tokenize
