// numpy_permutation: the permutation `numpy.random.default_rng(seed).permutation(n)` returns,
// bit for bit, which is how `datasets.Dataset.shuffle(seed=...)` orders rows (the example's
// shuffle_train_dataset / shuffle_seed). The parts are numpy's own: SeedSequence entropy mixing,
// the PCG64 (XSL-RR) generator, and Fisher-Yates with masked rejection sampling.
#pragma once

#include <cstdint>
#include <vector>

namespace hft::data {

// Requires seed >= 0 (numpy refuses negative seeds).
std::vector<int64_t> numpy_permutation(uint64_t seed, int64_t n);

}  // namespace hft::data
