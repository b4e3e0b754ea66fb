// A problem with a tokenizer's files or with text given to a tokenizer, naming the file (or
// input) and what would be right. app/ maps it to exit code 2 (bad input).
#pragma once

#include <optional>
#include <string>

#include "hft/error.h"  // BadInput

namespace hft::tokenize {

class TokenizeError : public BadInput {
 public:
  // `where` is a file path (optionally with a JSON path, "tokenizer.json: model.vocab") or
  // a description of the input; `message` says what is wrong and what would be right.
  TokenizeError(std::string where, const std::string& message)
      : BadInput(where.empty() ? message : where + ": " + message), where_(std::move(where)),
        unindexed_(what()) {}
  // The same error about text `index` of a batch.
  TokenizeError(const TokenizeError& error, size_t index)
      : BadInput(std::string("text ") + std::to_string(index) + ": " + error.what()),
        where_(error.where_), index_(index), unindexed_(error.what()) {}
  const std::string& where() const { return where_; }
  // Which text of a batch (Tokenizer::encode_batch) the error is about, if it is about one.
  std::optional<size_t> index() const { return index_; }
  // The message without the "text N: " of a batch.
  const std::string& unindexed() const { return unindexed_; }

 private:
  std::string where_;
  std::optional<size_t> index_;
  std::string unindexed_;
};

}  // namespace hft::tokenize
