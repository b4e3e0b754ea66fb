#include "hft/model/dropout.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <vector>

namespace hft::model {
namespace {

// Mersenne Twister's tempering of one state word, as at::mt19937 applies it to each output.
inline uint32_t temper(uint32_t y) {
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  return y ^ (y >> 18);
}

// The engine's next `count` outputs, as calling it `count` times gives them: the engine itself
// refreshes its state when the block is used up, and the block's words are tempered in one
// loop (which the compiler vectorizes) instead of one call each.
void next_outputs(at::mt19937& engine, uint32_t* out, int64_t count) {
  while (count > 0) {
    at::mt19937_data_pod pod = engine.data();
    if (pod.left_ <= 1) {  // the next call twists a new block
      *out++ = engine();
      --count;
      continue;
    }
    const int64_t take = std::min<int64_t>(count, pod.left_ - 1);
    const uint32_t* words = pod.state_.data() + pod.next_;
    for (int64_t i = 0; i < take; ++i) out[i] = temper(words[i]);
    pod.next_ += static_cast<uint32_t>(take);
    pod.left_ -= static_cast<int>(take);
    engine.set_data(pod);
    out += take;
    count -= take;
  }
}

// bernoulli(keep) as ATen's CPU kernel draws it per element: a 64-bit number made of two engine
// outputs (the first the high half), its low 53 bits m as the double m / 2^53, kept when below
// `keep`; that is, when m < keep * 2^53 (exact: a power-of-two scaling).
void draw_kept(at::Generator& generator, double keep, uint8_t* kept, int64_t count) {
  constexpr uint64_t low53 = (uint64_t{1} << 53) - 1;
  const double threshold = std::ldexp(keep, 53);
  std::lock_guard<std::mutex> lock(generator.mutex());
  auto* impl = generator.get<at::CPUGeneratorImpl>();
  at::mt19937 engine = impl->engine();
  constexpr int64_t chunk = 4096;  // elements per batch of engine outputs
  std::vector<uint32_t> outputs(2 * chunk);
  for (int64_t start = 0; start < count; start += chunk) {
    const int64_t n = std::min(chunk, count - start);
    next_outputs(engine, outputs.data(), 2 * n);
    for (int64_t i = 0; i < n; ++i) {
      const uint64_t bits = (uint64_t{outputs[2 * i]} << 32 | outputs[2 * i + 1]) & low53;
      kept[start + i] = static_cast<double>(bits) < threshold;
    }
  }
  impl->set_engine(engine);
}

torch::Tensor noise_from(at::Generator& generator, at::IntArrayRef shape, double probability,
                         const torch::TensorOptions& options) {
  torch::Tensor kept = torch::empty(shape, torch::kUInt8);
  draw_kept(generator, 1.0 - probability, kept.data_ptr<uint8_t>(), kept.numel());
  return kept.to(options.dtype()).div_(1.0 - probability);  // as at::dropout: bernoulli_ into the dtype, then div_
}

}  // namespace

// The tight loop against torch's bernoulli_ from one seed: the same noise, the generator left alike.
bool draws_dropout_fast() {
  static const bool same = [] {
    at::Generator torchs = at::make_generator<at::CPUGeneratorImpl>(20261130);
    at::Generator ours = at::make_generator<at::CPUGeneratorImpl>(20261130);
    const torch::Tensor expected = torch::empty({4099}).bernoulli_(0.9, torchs).div_(0.9);
    const torch::Tensor drawn = noise_from(ours, {4099}, 0.1, torch::kFloat32);
    return torch::equal(expected, drawn) && torch::equal(torchs.get_state(), ours.get_state());
  }();
  return same;
}

torch::Tensor dropout_noise(at::IntArrayRef shape, double probability, const torch::TensorOptions& options) {
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  if (!draws_dropout_fast()) return torch::empty(shape, options).bernoulli_(1.0 - probability).div_(1.0 - probability);
  return noise_from(generator, shape, probability, options);
}

torch::Tensor dropout(const torch::Tensor& input, double probability, bool training) {
  if (!training || probability == 0.0 || probability == 1.0 || !input.device().is_cpu() || input.numel() == 0)
    return torch::dropout(input, probability, training);
  return input * dropout_noise(input.sizes(), probability, input.options());
}

}  // namespace hft::model
