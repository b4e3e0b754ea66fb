// How to encode: special tokens, length limit and which text gives way when over it.
// Names follow `transformers` (tokenizer(text, add_special_tokens=..., max_length=...,
// truncation=...)).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace hft::tokenize {

enum class Truncation {
  kLongestFirst,   // take tokens from the longer text first ("longest_first", the default)
  kOnlyFirst,      // only the first text gives way ("only_first")
  kOnlySecond,     // only the second text gives way ("only_second")
  kDoNotTruncate,  // never cut, max_length is ignored ("do_not_truncate")
};

struct EncodeOptions {
  bool add_special_tokens = true;     // [CLS] A [SEP] (B [SEP]) for BERT
  std::optional<size_t> max_length;   // counts the special tokens; no limit when unset
  Truncation truncation = Truncation::kLongestFirst;
};

// "longest_first" -> kLongestFirst, ...; throws TokenizeError listing the accepted names.
Truncation parse_truncation(const std::string& name);

}  // namespace hft::tokenize
