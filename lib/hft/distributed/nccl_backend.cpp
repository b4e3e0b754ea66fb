#include "hft/distributed/nccl_backend.h"

#include <stdexcept>

#ifdef USE_C10D_NCCL
#include <c10/cuda/CUDAFunctions.h>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>

#include "hft/error.h"  // RunFailure
#endif

namespace hft::distributed {

#ifdef USE_C10D_NCCL

bool nccl_available() { return true; }

NcclVersions nccl_versions() {
  { auto options = c10d::ProcessGroupNCCL::Options::create(); }  // a layout mismatch fails on free
  const auto [major, minor, patch] = c10d::getNcclVersionTuple();
  return {NCCL_VERSION_CODE, NCCL_VERSION(major, minor, patch)};
}

c10::intrusive_ptr<c10d::Backend> make_nccl_backend(const c10::intrusive_ptr<c10d::Store>& store, int64_t rank,
                                                    int64_t world_size, int64_t local_rank,
                                                    std::chrono::milliseconds timeout) {
  c10::cuda::set_device(static_cast<c10::DeviceIndex>(local_rank));
  auto options = c10d::ProcessGroupNCCL::Options::create();
  options->timeout = timeout;
  return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, static_cast<int>(rank), static_cast<int>(world_size),
                                                     options);
}

#else

bool nccl_available() { return false; }

NcclVersions nccl_versions() { return {}; }

c10::intrusive_ptr<c10d::Backend> make_nccl_backend(const c10::intrusive_ptr<c10d::Store>&, int64_t, int64_t, int64_t,
                                                    std::chrono::milliseconds) {
  throw RunFailure("ddp_backend nccl: this LibTorch was built without NCCL; use ddp_backend: gloo");
}

#endif

}  // namespace hft::distributed
