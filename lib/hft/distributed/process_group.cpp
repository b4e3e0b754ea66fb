#include "hft/distributed/process_group.h"

#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "hft/distributed/nccl_backend.h"  // make_nccl_backend

namespace hft::distributed {

struct Group::Impl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::Backend> backend;
};

namespace {

c10::intrusive_ptr<c10d::Store> rendezvous(const Environment& env, std::chrono::milliseconds timeout) {
  c10d::TCPStoreOptions options;
  options.port = static_cast<uint16_t>(env.master_port);
  options.isServer = env.rank == 0;
  options.numWorkers = static_cast<int>(env.world_size);
  options.waitWorkers = true;
  options.timeout = timeout;
  auto store = c10::make_intrusive<c10d::TCPStore>(env.master_addr, options);
  // Keys of this group apart from anything else that shares the store.
  return c10::make_intrusive<c10d::PrefixStore>("hft/default_pg/", store);
}

c10::intrusive_ptr<c10d::Backend> make_gloo(const c10::intrusive_ptr<c10d::Store>& store, const Environment& env,
                                            std::chrono::milliseconds timeout) {
  // create_default picks the interface GLOO_SOCKET_IFNAME names, else the one the host name
  // resolves to, as torch.distributed does. The Gloo objects live inside libtorch_cpu: we only
  // hold pointers to them, so Debian's Gloo headers serve as declarations.
  auto options = c10d::ProcessGroupGloo::Options::create_default(timeout);
  return c10::make_intrusive<c10d::ProcessGroupGloo>(store, static_cast<int>(env.rank),
                                                     static_cast<int>(env.world_size), options);
}

c10d::ReduceOp to_c10d(ReduceOp op) {
  return op == ReduceOp::kMax ? c10d::ReduceOp(c10d::ReduceOp::MAX) : c10d::ReduceOp(c10d::ReduceOp::SUM);
}

Pending pending(c10::intrusive_ptr<c10d::Work> work) {
  return Pending([work = std::move(work)] { work->wait(); });
}

}  // namespace

std::string_view backend_name(Backend backend) { return backend == Backend::kNccl ? "nccl" : "gloo"; }

bool nccl_compiled() { return nccl_available(); }

Group::Group() = default;

Group::Group(const Environment& env, Backend backend, std::chrono::milliseconds timeout, bool even_alone)
    : rank_(env.rank), size_(env.world_size), backend_(backend) {
  if (size_ == 1 && !even_alone) return;
  impl_ = std::make_unique<Impl>();
  impl_->store = rendezvous(env, timeout);
  impl_->backend = backend == Backend::kNccl ? make_nccl_backend(impl_->store, env.rank, env.world_size, env.local_rank, timeout)
                                             : make_gloo(impl_->store, env, timeout);
}

// As torch.distributed.destroy_process_group: the backend is shut down while the run still holds
// it (NCCL's communicators and watchdog thread), not left to whatever order teardown takes.
Group::~Group() {
  if (!impl_) return;
  try {
    impl_->backend->shutdown();
  } catch (const std::exception&) {  // a destructor must not throw; the process is ending its run anyway
  }
}

Pending Group::all_reduce_async(at::Tensor& tensor, ReduceOp op) {
  if (!impl_) return Pending();
  std::vector<at::Tensor> tensors{tensor};
  c10d::AllreduceOptions options;
  options.reduceOp = to_c10d(op);
  return pending(impl_->backend->allreduce(tensors, options));
}

void Group::broadcast(at::Tensor& tensor, int64_t root) {
  if (!impl_) return;
  std::vector<at::Tensor> tensors{tensor};
  c10d::BroadcastOptions options;
  options.rootRank = root;
  impl_->backend->broadcast(tensors, options)->wait();
}

std::vector<at::Tensor> Group::all_gather(const at::Tensor& tensor) {
  if (!impl_) return {tensor};
  std::vector<at::Tensor> input{tensor.contiguous()};
  std::vector<std::vector<at::Tensor>> output(1);
  for (int64_t r = 0; r < size_; ++r) output[0].push_back(at::empty_like(input[0]));
  impl_->backend->allgather(output, input)->wait();
  return output[0];
}

void Group::barrier() {
  if (!impl_) return;
  // An all-reduce rather than Backend::barrier: NCCL's barrier guesses a device from the rank.
  at::Tensor token = at::zeros({1}, at::TensorOptions().device(backend_ == Backend::kNccl ? at::kCUDA : at::kCPU));
  all_reduce(token);
}

}  // namespace hft::distributed
