// Rules that depend on where the run goes: the CPU or CUDA GPUs. Loading a recipe cannot tell
// (config/ knows no devices); the caller, which can, says whether the run is on the CPU.
#pragma once

#include <vector>

#include "hft/config/config_error.h"  // ConfigError
#include "hft/config/load_recipe.h"   // LoadedRecipe

namespace hft::config {

// ddp_backend: nccl on a CPU run (NCCL moves GPU tensors only).
std::vector<ConfigError> check_device_rules(const LoadedRecipe& loaded, bool cpu_run);

}  // namespace hft::config
