#include "hft/config/device_rules.h"

#include <algorithm>
#include <string>

namespace hft::config {

int64_t max_loader_workers(const Machine& machine) { return std::max<int64_t>(32, 4 * int64_t{machine.cpu_cores}); }

std::vector<ConfigError> check_device_rules(const LoadedRecipe& loaded, const Machine& machine) {
  std::vector<ConfigError> errors;
  const TrainingArguments& t = loaded.recipe.training;
  if (machine.cpu_run && t.ddp_backend == DdpBackend::kNccl)
    errors.push_back({loaded.origin_of("ddp_backend"), "ddp_backend", "NCCL needs CUDA GPUs; this run is on the CPU",
                      "nccl", "gloo (or leave ddp_backend unset: nccl on GPUs, gloo on CPUs)"});
  if (const int64_t most = max_loader_workers(machine); t.dataloader_num_workers > most)
    errors.push_back({loaded.origin_of("dataloader_num_workers"), "dataloader_num_workers",
                      "more batch-collating threads than this machine can run", std::to_string(t.dataloader_num_workers),
                      "0 to " + std::to_string(most) + " on this machine (" + std::to_string(machine.cpu_cores) +
                          " cores: 4 threads per core, at least 32)"});
  return errors;
}

}  // namespace hft::config
