// Rules that depend on the machine the run goes to: the CPU or CUDA GPUs, and how many cores.
// Loading a recipe cannot tell (config/ knows no devices); the caller, which can, says.
#pragma once

#include <cstdint>
#include <vector>

#include "hft/config/config_error.h"  // ConfigError
#include "hft/config/load_recipe.h"   // LoadedRecipe

namespace hft::config {

struct Machine {
  bool cpu_run = true;     // the run is on the CPU (use_cpu, or no CUDA GPU)
  unsigned cpu_cores = 1;  // hardware threads of this machine
};

// The most batch-collating threads (dataloader_num_workers) a run may start: 4 per core, and 32
// on any machine, so that a recipe written on a larger one still runs; each thread reserves a
// stack, and past what the cores can run more only cost memory.
int64_t max_loader_workers(const Machine& machine);

// ddp_backend: nccl on a CPU run (NCCL moves GPU tensors only); dataloader_num_workers beyond
// max_loader_workers.
std::vector<ConfigError> check_device_rules(const LoadedRecipe& loaded, const Machine& machine);

}  // namespace hft::config
