// The collectives the Trainer needs besides gradients: metric statistics summed over ranks,
// predictions gathered back into the input order the DistributedSampler split, agreement on
// stopping.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

#include "hft/distributed/process_group.h"  // Group

namespace hft::distributed {

// Element-wise sums over ranks (confusion counts, loss sums, row counts), in double precision.
std::vector<double> sum_over_ranks(Group& group, const std::vector<double>& values);

// True on every rank when `flag` is true on any rank (a signal arrived on one of them).
bool any_rank(Group& group, bool flag);

// Rank r holds rows r, r+W, r+2W, ... of the sharded order ([n_r, ...]): as DistributedSampler
// pads it (the same count on every rank) or without padding (the first ranks one row more).
// Returns all `total_rows` rows in input order, padding dropped. Tensors travel on the group's
// device and come back on `rows`'.
at::Tensor gather_in_input_order(Group& group, const at::Tensor& rows, int64_t total_rows);

// Every rank's `rows` ([n_r, ...], n_r may differ), concatenated in rank order.
at::Tensor concat_over_ranks(Group& group, const at::Tensor& rows);

// How many rows rank `rank` of `world` holds when rows r, r+W, ... of `total_rows` are sharded
// without padding.
int64_t unpadded_shard_size(int64_t total_rows, int64_t rank, int64_t world);

// The device a collective of `group` expects its tensors on: cuda for NCCL, else cpu.
at::Device collective_device(const Group& group);

}  // namespace hft::distributed
