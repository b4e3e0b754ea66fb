// What encoding one text (or text pair) produces: the model inputs and, per token, where it
// came from. Fields mirror a `tokenizers` Encoding / a `transformers` BatchEncoding row.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace hft::tokenize {

// [begin, end) in Unicode code points of the text the token came from (for a pair, of its own
// text); (0, 0) for tokens the post-processor added ([CLS], [SEP], ...).
using CharOffsets = std::pair<uint32_t, uint32_t>;

struct Encoding {
  std::vector<int32_t> input_ids;
  std::vector<int32_t> token_type_ids;       // 0 for the first text, 1 for the second (BERT)
  std::vector<int32_t> attention_mask;       // 1 per real token (no padding is added here)
  std::vector<int32_t> special_tokens_mask;  // 1 for tokens the post-processor added
  std::vector<CharOffsets> offsets;
  // The word each token came from (transformers' word_ids(), -1 where it gives None: the
  // post-processor's tokens). For plain text, the index of the pre-tokenizer's piece (an added
  // token is a piece too), counted from 0 in each text of a pair; for pre-split words
  // (encode_words), the word's position in the list.
  std::vector<int32_t> word_ids;

  size_t size() const { return input_ids.size(); }
  void reserve(size_t tokens) {
    input_ids.reserve(tokens);
    token_type_ids.reserve(tokens);
    attention_mask.reserve(tokens);
    special_tokens_mask.reserve(tokens);
    offsets.reserve(tokens);
    word_ids.reserve(tokens);
  }
};

}  // namespace hft::tokenize
