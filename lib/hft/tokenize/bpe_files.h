// The BPE files: merges (merges.txt lines or tokenizer.json entries, "a b" or ["a", "b"]) and
// the older GPT-2 folder layout vocab.json + merges.txt.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hft/tokenize/tokenizer.h"         // TokenizerParts
#include "hft/tokenize/tokenizer_config.h"  // TokenizerConfig

namespace hft::tokenize {

// "a b" -> {"a", "b"}; throws TokenizeError naming `where` unless there are exactly two parts.
std::pair<std::string, std::string> split_merge(const std::string& line, const std::string& where);

// merges.txt: one merge per line in rank order; a "#version" first line is skipped.
std::vector<std::pair<std::string, std::string>> read_merges_txt(const std::string& path);

// GPT-2 style byte-level BPE: ByteLevel pre-tokenizer (add_prefix_space from the config,
// default false), no post-processor, special tokens (default <|endoftext|>) added as tokens.
TokenizerParts read_gpt2_vocab_json(const std::string& vocab_path, const std::string& merges_path,
                                    const TokenizerConfig& config, bool add_prefix_space);

}  // namespace hft::tokenize
