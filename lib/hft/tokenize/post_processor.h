// A post-processor joins the encodings of a text (or pair) and adds the special tokens the
// model expects ([CLS] A [SEP] B [SEP] for BERT), setting the type ids.
#pragma once

#include <optional>

#include "hft/tokenize/encoding.h"  // Encoding

namespace hft::tokenize {

class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  // How many tokens process() adds; truncation leaves room for them.
  virtual size_t added_tokens(bool is_pair) const = 0;
  virtual Encoding process(Encoding first, std::optional<Encoding> second, bool add_special_tokens) const = 0;
};

// Without a post-processor: the pair's tokens follow the first's, type ids unchanged.
Encoding concatenate(Encoding first, std::optional<Encoding> second);

}  // namespace hft::tokenize
