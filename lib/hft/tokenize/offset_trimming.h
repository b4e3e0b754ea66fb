// ByteLevel offset trimming (ByteLevel and RobertaProcessing post-processors, trim_offsets):
// a token's offsets leave out the spaces ('Ġ') it starts or ends with.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "hft/tokenize/encoding.h"  // Encoding

namespace hft::tokenize {

struct OffsetTrimming {
  bool enabled = false;
  bool add_prefix_space = false;  // keep one leading space on the first token (the pre-tokenizer added it)
};

void trim_offsets(Encoding& encoding, const std::function<std::optional<std::string>(int32_t)>& token_of,
                  const OffsetTrimming& trimming);

}  // namespace hft::tokenize
