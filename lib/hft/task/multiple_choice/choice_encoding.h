// Multiple-choice questions -> an EncodedDataset of N sequences a row, as run_swag.py encodes
// them: the context paired with each "<question> <ending>", special tokens added, truncated
// (longest_first) to max_length. No LibTorch.
#pragma once

#include <cstdint>

#include "hft/data/encoded_dataset.h"                   // EncodedDataset
#include "hft/task/multiple_choice/choice_examples.h"  // ChoiceExamples

namespace hft::tokenize {
class Tokenizer;
}

namespace hft::task {

// Throws DataError (file:line) for a row the tokenizer rejects.
data::EncodedDataset encode_choices(const ChoiceExamples& examples, const tokenize::Tokenizer& tokenizer,
                                    int64_t max_length, unsigned threads);

}  // namespace hft::task
