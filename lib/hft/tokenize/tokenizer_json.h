// tokenizer.json (the `tokenizers` serialization) -> the parts of a Tokenizer. Component types
// hft does not support yet are refused with their name and the list of supported ones.
#pragma once

#include <string>

#include "hft/tokenize/tokenizer.h"  // TokenizerParts

namespace hft::tokenize {

TokenizerParts read_tokenizer_json(const std::string& path);

}  // namespace hft::tokenize
