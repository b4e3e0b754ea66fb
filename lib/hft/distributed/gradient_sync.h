// Gradient averaging across ranks as DistributedDataParallel does it: rank 0's parameters are
// broadcast at the start; parameters are grouped into buckets of about ddp_bucket_cap_mb (in
// reverse registration order, roughly the order backward produces their gradients); a hook on each
// parameter's gradient accumulator marks it ready, and a bucket whose parameters are all ready is
// flattened, divided by the world size and all-reduced while backward carries on. Buckets are
// launched in index order on every rank, so the collectives match up. Backward passes of
// accumulation micro-steps that do not step the optimizer communicate nothing.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "hft/distributed/process_group.h"  // Group

namespace hft::distributed {

class GradientSync {
 public:
  // `parameters`: the trainable leaves, in the model's registration order. Broadcasts rank 0's
  // values into them.
  GradientSync(Group& group, std::vector<at::Tensor> parameters, int64_t bucket_cap_bytes);
  ~GradientSync();
  GradientSync(const GradientSync&) = delete;
  GradientSync& operator=(const GradientSync&) = delete;

  // Before each backward: `sync` when the optimizer steps after it (the accumulation window ends).
  void prepare_backward(bool sync);
  // After a backward prepared with sync: waits for every bucket, then each parameter's .grad
  // holds the average over ranks of the gradients accumulated in the window. Parameters that
  // took no part in this backward count as zero gradients.
  void finish_backward();

  int64_t bucket_count() const;

  struct State;  // shared with the hooks, which may outlive this object in the autograd graph

 private:
  std::shared_ptr<State> state_;
};

// DDP's default bucket size when ddp_bucket_cap_mb is unset: 25 MiB.
inline constexpr int64_t kDefaultBucketCapMb = 25;

}  // namespace hft::distributed
