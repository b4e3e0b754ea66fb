#include "hft/data/sampler.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <mutex>
#include <numeric>
#include <stdexcept>

namespace hft::data {
namespace {

// torch.randperm(n, generator=torch.Generator().manual_seed(seed)).
std::vector<int64_t> torch_randperm(int64_t n, int64_t seed) {
  at::Generator generator = at::detail::createCPUGenerator();
  {
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_current_seed(static_cast<uint64_t>(seed));
  }
  const at::Tensor perm = torch::randperm(n, generator, torch::kInt64);
  return std::vector<int64_t>(perm.data_ptr<int64_t>(), perm.data_ptr<int64_t>() + n);
}

// transformers' get_length_grouped_indices with the default mega-batch multiplier.
std::vector<int64_t> length_grouped(std::vector<int64_t> order, std::span<const int64_t> lengths, int64_t batch_size) {
  const int64_t n = static_cast<int64_t>(order.size());
  const int64_t multiplier = std::max<int64_t>(std::min<int64_t>(n / (batch_size * 4), 50), 1);
  const int64_t mega = multiplier * batch_size;
  const auto longer = [&](int64_t a, int64_t b) { return lengths[a] > lengths[b]; };
  std::vector<int64_t> firsts;  // the first (longest) row of each mega-batch
  for (int64_t begin = 0; begin < n; begin += mega) {
    std::stable_sort(order.begin() + begin, order.begin() + std::min(n, begin + mega), longer);
    firsts.push_back(begin);
  }
  if (!firsts.empty()) {
    const auto max_it = std::max_element(firsts.begin(), firsts.end(),
                                         [&](int64_t a, int64_t b) { return lengths[order[a]] < lengths[order[b]]; });
    std::swap(order[0], order[*max_it]);
  }
  return order;
}

}  // namespace

int64_t samples_per_rank(const SamplerOptions& options, int64_t num_rows) {
  const int64_t world = options.world_size;
  if (options.drop_last && num_rows % world != 0) return (num_rows - world + world - 1) / world;  // ceil((n-W)/W)
  return (num_rows + world - 1) / world;
}

std::vector<int64_t> epoch_order(const SamplerOptions& options, int64_t num_rows, int64_t epoch,
                                 std::span<const int64_t> lengths) {
  if (options.kind == SamplingKind::kSequential) {
    std::vector<int64_t> order(num_rows);
    std::iota(order.begin(), order.end(), 0);
    return order;
  }
  std::vector<int64_t> order = torch_randperm(num_rows, options.seed + epoch);
  if (options.kind == SamplingKind::kRandom) return order;
  if (static_cast<int64_t>(lengths.size()) != num_rows)
    throw std::invalid_argument("length-grouped sampling needs one length per row");
  return length_grouped(std::move(order), lengths, options.group_batch_size);
}

std::vector<int64_t> epoch_indices(const SamplerOptions& options, int64_t num_rows, int64_t epoch,
                                   std::span<const int64_t> lengths) {
  if (num_rows == 0) return {};
  const std::vector<int64_t> order = epoch_order(options, num_rows, epoch, lengths);
  const int64_t per_rank = samples_per_rank(options, num_rows);
  const int64_t total = per_rank * options.world_size;
  std::vector<int64_t> indices;
  indices.reserve(per_rank);
  // Position p of the padded (or cut) order is order[p % n]: padding repeats from the start.
  for (int64_t p = options.rank; p < total; p += options.world_size) indices.push_back(order[p % num_rows]);
  return indices;
}

int64_t batches_per_epoch(int64_t num_indices, int64_t batch_size, bool drop_last) {
  return drop_last ? num_indices / batch_size : (num_indices + batch_size - 1) / batch_size;
}

std::span<const int64_t> batch_at(const std::vector<int64_t>& indices, int64_t step, int64_t batch_size) {
  const int64_t size = static_cast<int64_t>(indices.size());
  const int64_t begin = std::min(step * batch_size, size);
  const int64_t end = std::min(begin + batch_size, size);
  return {indices.data() + begin, static_cast<size_t>(end - begin)};
}

}  // namespace hft::data
