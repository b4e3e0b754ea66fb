#include "hft/config/device_rules.h"

namespace hft::config {

std::vector<ConfigError> check_device_rules(const LoadedRecipe& loaded, bool cpu_run) {
  std::vector<ConfigError> errors;
  const TrainingArguments& t = loaded.recipe.training;
  if (cpu_run && t.ddp_backend == DdpBackend::kNccl)
    errors.push_back({loaded.origin_of("ddp_backend"), "ddp_backend", "NCCL needs CUDA GPUs; this run is on the CPU",
                      "nccl", "gloo (or leave ddp_backend unset: nccl on GPUs, gloo on CPUs)"});
  return errors;
}

}  // namespace hft::config
