// The collectives the Trainer needs besides gradients: metric statistics summed over ranks,
// predictions gathered back into the input order the DistributedSampler split, agreement on
// stopping.
#pragma once

#include <ATen/core/Tensor.h>

#include <c10/core/Event.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "hft/distributed/process_group.h"  // Group

namespace hft::distributed {

// Element-wise sums over ranks (confusion counts, loss sums, row counts), in double precision.
std::vector<double> sum_over_ranks(Group& group, const std::vector<double>& values);

// Whether `flag` is true on any rank (a signal arrived on one of them), without waiting for the
// answer: each call posts this rank's flag and answers for the flags posted `lag` calls earlier
// (false until then; lag 0: at once). Every rank makes the same calls, so all get the
// same answer at the same call; meanwhile the all-reduce (on a GPU, and its copy to the host) has
// had `lag` calls' worth of time, so the answer is there already and no call drains the device.
class LaggedAnyRank {
 public:
  LaggedAnyRank(Group& group, int64_t lag) : group_(group), lag_(lag) {}
  bool operator()(bool flag);

 private:
  struct Posted {
    at::Tensor result;                // [1] int32, on the host once `ready`
    Pending reduced;                  // Gloo: the all-reduce itself
    std::optional<c10::Event> ready;  // CUDA: recorded after the copy to (pinned) host memory
  };
  Posted post(bool flag);
  static bool read(Posted& posted);

  Group& group_;
  int64_t lag_;
  std::deque<Posted> in_flight_;
};

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
