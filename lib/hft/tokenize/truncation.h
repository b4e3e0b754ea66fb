// Shortening one text or a pair to a token budget, as `tokenizers`' truncate_encodings does.
#pragma once

#include <optional>

#include "hft/tokenize/encode_options.h"  // Truncation
#include "hft/tokenize/encoding.h"        // Encoding

namespace hft::tokenize {

// Cuts tokens from the end of `first` and/or `second` until together they have at most
// `budget` tokens. Throws TokenizeError when only_first/only_second cannot get there, or
// only_second is asked for without a second text.
void truncate(Encoding& first, std::optional<Encoding>& second, size_t budget, Truncation strategy);

// Keeps the first `n` tokens.
void keep_first(Encoding& encoding, size_t n);

}  // namespace hft::tokenize
