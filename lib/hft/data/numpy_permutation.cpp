#include "hft/data/numpy_permutation.h"

#include <array>
#include <cstddef>
#include <numeric>
#include <utility>

namespace hft::data {
namespace {

using u128 = unsigned __int128;

// numpy.random.SeedSequence: a pool of four 32-bit words mixed from the seed's words.
class SeedSequence {
 public:
  explicit SeedSequence(uint64_t seed) {
    std::vector<uint32_t> entropy = {static_cast<uint32_t>(seed)};
    if (seed >> 32) entropy.push_back(static_cast<uint32_t>(seed >> 32));
    for (std::size_t i = 0; i < pool_.size(); ++i) pool_[i] = hashmix(i < entropy.size() ? entropy[i] : 0);
    for (std::size_t src = 0; src < pool_.size(); ++src)
      for (std::size_t dst = 0; dst < pool_.size(); ++dst)
        if (src != dst) pool_[dst] = mix(pool_[dst], hashmix(pool_[src]));
    for (std::size_t src = pool_.size(); src < entropy.size(); ++src)
      for (std::size_t dst = 0; dst < pool_.size(); ++dst) pool_[dst] = mix(pool_[dst], hashmix(entropy[src]));
  }

  // generate_state(n_words, uint32).
  std::vector<uint32_t> generate_state(std::size_t words) const {
    uint32_t hash_const = 0x8b51f9dd;  // INIT_B
    std::vector<uint32_t> state(words);
    for (std::size_t i = 0; i < words; ++i) {
      uint32_t value = pool_[i % pool_.size()];
      value ^= hash_const;
      hash_const *= 0x58f38ded;  // MULT_B
      value *= hash_const;
      value ^= value >> 16;
      state[i] = value;
    }
    return state;
  }

 private:
  uint32_t hashmix(uint32_t value) {
    value ^= hash_const_;
    hash_const_ *= 0x931e8875;  // MULT_A
    value *= hash_const_;
    return value ^ (value >> 16);
  }
  static uint32_t mix(uint32_t x, uint32_t y) {
    uint32_t result = 0xca01f9dd * x - 0x4973f715 * y;  // MIX_MULT_L, MIX_MULT_R
    return result ^ (result >> 16);
  }

  std::array<uint32_t, 4> pool_{};
  uint32_t hash_const_ = 0x43b0d7e5;  // INIT_A
};

// numpy's PCG64: a 128-bit LCG with the XSL-RR output, and 32-bit draws buffered in halves.
class Pcg64 {
 public:
  explicit Pcg64(const SeedSequence& seeds) {
    const std::vector<uint32_t> words = seeds.generate_state(8);
    const auto u64 = [&](std::size_t i) { return uint64_t(words[2 * i]) | (uint64_t(words[2 * i + 1]) << 32); };
    const u128 initstate = (u128(u64(0)) << 64) | u64(1);
    const u128 initseq = (u128(u64(2)) << 64) | u64(3);
    inc_ = (initseq << 1) | 1;
    step();
    state_ += initstate;
    step();
  }

  uint64_t next64() {
    step();
    const uint64_t folded = uint64_t(state_ >> 64) ^ uint64_t(state_);
    const unsigned rotation = unsigned(state_ >> 122);
    return (folded >> rotation) | (folded << ((64 - rotation) & 63));
  }

  uint32_t next32() {
    if (has_half_) {
      has_half_ = false;
      return half_;
    }
    const uint64_t next = next64();
    has_half_ = true;
    half_ = uint32_t(next >> 32);
    return uint32_t(next);
  }

 private:
  void step() {
    const u128 multiplier = (u128(2549297995355413924ULL) << 64) | 4865540595714422341ULL;
    state_ = state_ * multiplier + inc_;
  }

  u128 state_ = 0, inc_ = 0;
  bool has_half_ = false;
  uint32_t half_ = 0;
};

// numpy's random_interval: a uniform value in [0, max] by masked rejection.
uint64_t random_interval(Pcg64& random, uint64_t max) {
  if (max == 0) return 0;
  uint64_t mask = max;
  for (unsigned shift : {1u, 2u, 4u, 8u, 16u, 32u}) mask |= mask >> shift;
  uint64_t value;
  if (max <= 0xffffffffULL) {
    while ((value = (random.next32() & mask)) > max) {
    }
  } else {
    while ((value = (random.next64() & mask)) > max) {
    }
  }
  return value;
}

}  // namespace

std::vector<int64_t> numpy_permutation(uint64_t seed, int64_t n) {
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  Pcg64 random{SeedSequence(seed)};
  for (int64_t i = n - 1; i >= 1; --i) std::swap(order[i], order[random_interval(random, uint64_t(i))]);
  return order;
}

}  // namespace hft::data
