// Checks that need the tokenizer, the data and the model together, made once set_up has all three
// and before a batch reaches the network: each mismatch would otherwise end inside LibTorch (an
// index out of range, a loss of the wrong shape) after the run has started.
#pragma once

#include "hft/config/recipe.h"     // Recipe
#include "hft/train/run_setup.h"   // RunSetup

namespace hft::train {

// Throws model::ModelError naming the model's config.json, its key, and the tokenizer or data
// file that disagrees: a token id at or above vocab_size (the tokenizer's vocabulary with its
// added tokens, and every id in the splits), a row longer than the learned positions, a token
// type id at or above type_vocab_size, or labels the task says the model cannot take (text
// classification: a problem_type that does not fit them).
void check_model_fits_inputs(const RunSetup& s, const config::Recipe& recipe);

}  // namespace hft::train
