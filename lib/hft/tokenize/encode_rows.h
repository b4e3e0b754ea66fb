// Encoding the rows of a batch on worker threads (worker_pool.h), whatever a row is: a text, a
// text pair, a sentence of pre-split words.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "hft/tokenize/encoding.h"  // Encoding

namespace hft::tokenize {

// Returns encode_row(0), ..., encode_row(rows - 1), computed on up to `threads` threads (0: all
// cores). The error of the lowest failing row is rethrown; a TokenizeError names that row.
std::vector<Encoding> encode_rows(size_t rows, unsigned threads, const std::function<Encoding(size_t)>& encode_row);

}  // namespace hft::tokenize
