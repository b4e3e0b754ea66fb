// ProcessGroupNCCL, in a file of its own: it needs the NCCL headers of LibTorch's own NCCL (the
// wheel's nvidia-nccl package), which must come before any other nccl.h on the include path, since
// the layout of ProcessGroupNCCL's options depends on the NCCL version.
#pragma once

#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

#include <chrono>

namespace hft::distributed {

bool nccl_available();

// The NCCL version (major * 10000 + minor * 100 + patch, NCCL's own code) of the nccl.h hft was
// compiled against and of the libnccl LibTorch loads; both 0 without NCCL. They must agree: the
// layout of ProcessGroupNCCL's options depends on it. Also builds and frees those options once.
struct NcclVersions {
  int compiled = 0;
  int loaded = 0;
};
NcclVersions nccl_versions();

// Makes cuda:local_rank the current device first. Throws when LibTorch has no NCCL.
c10::intrusive_ptr<c10d::Backend> make_nccl_backend(const c10::intrusive_ptr<c10d::Store>& store, int64_t rank,
                                                    int64_t world_size, int64_t local_rank,
                                                    std::chrono::milliseconds timeout);

}  // namespace hft::distributed
