// The special tokens of a model and the side padding goes on: what a collator and a model
// head need to know about a tokenizer beyond its ids.
#pragma once

#include <optional>
#include <string>

namespace hft::tokenize {

enum class PaddingSide { kRight, kLeft };

struct SpecialTokens {
  std::optional<std::string> pad, unk, cls, sep, mask, bos, eos;
};

}  // namespace hft::tokenize
