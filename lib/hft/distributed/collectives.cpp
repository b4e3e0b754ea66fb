#include "hft/distributed/collectives.h"

#include <ATen/ATen.h>
#include <c10/core/impl/VirtualGuardImpl.h>

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

LaggedAnyRank::Posted LaggedAnyRank::post(bool flag) {
  const at::Device device = collective_device(group_);
  at::Tensor value = at::full({1}, flag ? 1 : 0, at::TensorOptions().dtype(at::kInt).device(device));
  Pending reduced = group_.all_reduce_async(value, ReduceOp::kMax);
  if (device.is_cpu()) return {value, std::move(reduced), std::nullopt};
  reduced.wait();  // NCCL: the current stream waits for the all-reduce; the host does not
  at::Tensor result = at::empty({1}, at::TensorOptions().dtype(at::kInt).pinned_memory(true));
  result.copy_(value, /*non_blocking=*/true);
  c10::Event ready(device.type());
  ready.record(c10::impl::VirtualGuardImpl(device.type()).getStream(device));
  return {result, Pending(), std::move(ready)};
}

bool LaggedAnyRank::read(Posted& posted) {
  posted.reduced.wait();
  if (posted.ready) posted.ready->synchronize();
  return posted.result.item<int>() != 0;
}

bool LaggedAnyRank::operator()(bool flag) {
  in_flight_.push_back(post(flag));
  if (static_cast<int64_t>(in_flight_.size()) <= lag_) return false;
  Posted oldest = std::move(in_flight_.front());
  in_flight_.pop_front();
  return read(oldest);
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
