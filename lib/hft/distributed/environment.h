// Where this process stands in a data-parallel job, read once from the environment the launcher
// set: torchrun's variables (RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR,
// MASTER_PORT), else SLURM's (SLURM_PROCID, SLURM_LOCALID, SLURM_NTASKS, SLURM_NTASKS_PER_NODE
// and the first host of SLURM_JOB_NODELIST) in a task that srun started, else a single process.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "hft/error.h"  // BadInput

namespace hft::distributed {

enum class Launch { kSingle, kTorchrun, kSlurm };

struct Environment {
  Launch launch = Launch::kSingle;
  int64_t rank = 0;              // this process among all of the job's processes
  int64_t local_rank = 0;        // this process among those of its node: uses cuda:local_rank
  int64_t world_size = 1;
  int64_t local_world_size = 1;
  std::string master_addr = "127.0.0.1";  // where rank 0 listens (TCPStore)
  int master_port = 29500;

  bool distributed() const { return world_size > 1; }
};

// A variable is set but cannot be used (not a number, rank outside the world, ...): names it.
struct EnvironmentError : BadInput {
  using BadInput::BadInput;
};

// Reads the variables through `get` (returns nullopt for an unset variable); tests pass a map.
using GetVariable = std::function<std::optional<std::string>(const std::string& name)>;
Environment read_environment(const GetVariable& get);

// The process's own environment, read on the first call and kept.
const Environment& process_environment();

// "node[01-04,07],gpu9" -> "node01": the first host of a SLURM host list.
std::string first_slurm_host(const std::string& nodelist);

// "4(x2),2" -> 4: tasks on the first node (SLURM_TASKS_PER_NODE / SLURM_NTASKS_PER_NODE).
int64_t first_slurm_count(const std::string& tasks_per_node);

}  // namespace hft::distributed
