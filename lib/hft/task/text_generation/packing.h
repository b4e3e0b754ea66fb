// Packing, as TRL's pack_dataset(strategy="bfd") with its padding-free collator: each row cut to
// max_length, then rows taken longest first (ties in file order) into the bin whose free space
// fits them most tightly, a new bin when none does (best fit decreasing). No LibTorch.
#pragma once

#include <cstdint>

#include "hft/data/encoded_dataset.h"  // EncodedDataset

namespace hft::task {

// One packed row per bin, in the order the bins were opened: the examples back to back, each
// with position_ids from 0 and its first label -100 (an example never learns from the one before
// it; the attention mask keeps them apart, model/causal_lm.h).
data::EncodedDataset pack_best_fit(const data::EncodedDataset& rows, int64_t max_length);

}  // namespace hft::task
