// Tagged sentences -> an EncodedDataset with a label per token, as run_ner.py's
// tokenize_and_align_labels makes it: the words tokenized as pre-split words (special tokens
// added, truncated to max_length), each word's tag on its first piece, -100 on special tokens and,
// unless label_all_tokens, on the word's other pieces. No LibTorch.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "hft/data/encoded_dataset.h"                        // EncodedDataset
#include "hft/task/token_classification/tagged_sentences.h"  // TaggedSentences

namespace hft::tokenize {
class Tokenizer;
}

namespace hft::task {

inline constexpr int32_t kNoLabel = -100;  // transformers' ignore_index

struct TagAlignment {
  bool label_all_tokens = false;  // the word's other pieces get its tag too (B- turned into I-)
  std::vector<int32_t> b_to_i;    // b_to_i_labels(): the tag of a B- word's later pieces
};

// The labels of one sentence's tokens from their word ids (-1: special token) and its word tags.
std::vector<int32_t> aligned_labels(std::span<const int32_t> word_ids, const std::vector<int32_t>& word_tags,
                                    const TagAlignment& alignment);

// `tag_ids` ([sentences][words], or null without tags) become token_labels; word_ids are kept for
// prediction. Throws DataError (file:line) for a sentence the tokenizer rejects.
data::EncodedDataset encode_tagged(const TaggedSentences& sentences, const std::vector<std::vector<int32_t>>* tag_ids,
                                   const tokenize::Tokenizer& tokenizer, int64_t max_length,
                                   const TagAlignment& alignment, unsigned threads);

}  // namespace hft::task
