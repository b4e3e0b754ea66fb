// The job's process group: rendezvous through c10d's TCPStore at MASTER_ADDR:MASTER_PORT, then
// LibTorch's ProcessGroupGloo (CPU tensors) or ProcessGroupNCCL (CUDA tensors). A world of one
// needs neither: every collective is then the identity.
#pragma once

#include <ATen/core/Tensor.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "hft/distributed/environment.h"  // Environment

namespace hft::distributed {

enum class Backend { kGloo, kNccl };
enum class ReduceOp { kSum, kMax };

std::string_view backend_name(Backend backend);

// A collective in flight; wait() returns once its result is in the tensor it was given.
class Pending {
 public:
  Pending() = default;  // nothing in flight
  explicit Pending(std::function<void()> wait) : wait_(std::move(wait)) {}
  void wait() {
    if (wait_) std::exchange(wait_, nullptr)();
  }

 private:
  std::function<void()> wait_;
};

class Group {
 public:
  // A world of one.
  Group();
  // Joins the job described by `env` (blocks until every rank has joined or `timeout` passes).
  // A world of one makes no backend unless `even_alone` (to exercise NCCL on one GPU).
  Group(const Environment& env, Backend backend, std::chrono::milliseconds timeout, bool even_alone = false);
  ~Group();
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  int64_t rank() const { return rank_; }
  int64_t size() const { return size_; }
  Backend backend() const { return backend_; }

  // In place, over every rank.
  Pending all_reduce_async(at::Tensor& tensor, ReduceOp op = ReduceOp::kSum);
  void all_reduce(at::Tensor& tensor, ReduceOp op = ReduceOp::kSum) { all_reduce_async(tensor, op).wait(); }
  // `tensor` takes rank `root`'s values.
  void broadcast(at::Tensor& tensor, int64_t root = 0);
  // Every rank's `tensor` (same shape on every rank), in rank order.
  std::vector<at::Tensor> all_gather(const at::Tensor& tensor);
  // Returns once every rank has called it.
  void barrier();

  struct Impl;  // the c10d backend; defined in process_group.cpp

 private:
  int64_t rank_ = 0;
  int64_t size_ = 1;
  Backend backend_ = Backend::kGloo;
  std::unique_ptr<Impl> impl_;
};

// Whether this LibTorch was built with NCCL (the CUDA wheel is).
bool nccl_compiled();

}  // namespace hft::distributed
