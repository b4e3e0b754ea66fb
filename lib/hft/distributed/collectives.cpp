#include "hft/distributed/collectives.h"

#include <ATen/ATen.h>

namespace hft::distributed {

at::Device collective_device(const Group& group) {
  return group.backend() == Backend::kNccl ? at::Device(at::kCUDA) : at::Device(at::kCPU);
}

std::vector<double> sum_over_ranks(Group& group, const std::vector<double>& values) {
  if (group.size() == 1 || values.empty()) return values;
  at::Tensor t = at::tensor(values, at::TensorOptions().dtype(at::kDouble)).to(collective_device(group));
  group.all_reduce(t);
  t = t.cpu();
  return std::vector<double>(t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
}

bool any_rank(Group& group, bool flag) {
  if (group.size() == 1) return flag;
  at::Tensor t = at::full({1}, flag ? 1 : 0, at::TensorOptions().dtype(at::kInt).device(collective_device(group)));
  group.all_reduce(t, ReduceOp::kMax);
  return t.item<int>() != 0;
}

at::Tensor concat_over_ranks(Group& group, const at::Tensor& rows) {
  if (group.size() == 1) return rows;
  const at::Device device = collective_device(group);
  const std::vector<at::Tensor> counts = group.all_gather(at::full({1}, rows.size(0), at::TensorOptions().dtype(at::kLong).device(device)));
  int64_t most = 0;
  for (const at::Tensor& c : counts) most = std::max(most, c.item<int64_t>());
  std::vector<int64_t> shape = rows.sizes().vec();
  shape[0] = most;
  at::Tensor mine = at::zeros(shape, rows.options().device(device));
  mine.narrow(0, 0, rows.size(0)).copy_(rows);
  const std::vector<at::Tensor> parts = group.all_gather(mine);
  std::vector<at::Tensor> kept;
  for (size_t r = 0; r < parts.size(); ++r) kept.push_back(parts[r].narrow(0, 0, counts[r].item<int64_t>()));
  return at::cat(kept).to(rows.device());
}

int64_t unpadded_shard_size(int64_t total_rows, int64_t rank, int64_t world) {
  return rank < total_rows ? (total_rows - rank + world - 1) / world : 0;
}

at::Tensor gather_in_input_order(Group& group, const at::Tensor& rows, int64_t total_rows) {
  if (group.size() == 1) return rows.narrow(0, 0, std::min<int64_t>(total_rows, rows.size(0)));
  const int64_t world = group.size(), per_rank = (total_rows + world - 1) / world;
  // Every rank sends per_rank rows (an unpadded shard is one short at most: zeros fill in).
  std::vector<int64_t> shape = rows.sizes().vec();
  shape[0] = per_rank;
  at::Tensor mine = at::zeros(shape, rows.options().device(collective_device(group)));
  mine.narrow(0, 0, std::min(per_rank, rows.size(0))).copy_(rows.narrow(0, 0, std::min(per_rank, rows.size(0))));
  const std::vector<at::Tensor> parts = group.all_gather(mine);
  // stack -> [W, per_rank, ...]; transpose -> [per_rank, W, ...]: row i of rank r lands at i * W + r,
  // and the slots past total_rows (padding) fall off the end.
  shape[0] = per_rank * world;
  at::Tensor interleaved = at::stack(parts).transpose(0, 1).reshape(shape);
  return interleaved.narrow(0, 0, total_rows).to(rows.device());
}

}  // namespace hft::distributed
