#include "hft/distributed/environment.h"

#include <cstdlib>
#include <string_view>

namespace hft::distributed {
namespace {

int64_t parse_count(const GetVariable& get, const std::string& name, int64_t fallback, int64_t minimum) {
  const std::optional<std::string> text = get(name);
  if (!text || text->empty()) return fallback;
  size_t used = 0;
  int64_t value = 0;
  try {
    value = std::stoll(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text->size() || value < minimum)
    throw EnvironmentError("environment variable " + name + "=" + *text + ": expected an integer >= " +
                           std::to_string(minimum));
  return value;
}

void check_ranks(const Environment& env, const std::string& rank_name, const std::string& world_name) {
  if (env.rank >= env.world_size)
    throw EnvironmentError("environment variable " + rank_name + "=" + std::to_string(env.rank) +
                           ": must be below " + world_name + "=" + std::to_string(env.world_size));
  if (env.local_rank >= env.local_world_size)
    throw EnvironmentError("local rank " + std::to_string(env.local_rank) + " is not below the local world size " +
                           std::to_string(env.local_world_size));
}

void read_master(const GetVariable& get, Environment& env, const std::string& fallback_addr) {
  const std::optional<std::string> addr = get("MASTER_ADDR");
  env.master_addr = addr && !addr->empty() ? *addr : fallback_addr;
  env.master_port = static_cast<int>(parse_count(get, "MASTER_PORT", 29500, 1));
  if (env.master_port > 65535)
    throw EnvironmentError("environment variable MASTER_PORT=" + std::to_string(env.master_port) +
                           ": expected a TCP port, 1..65535");
}

Environment read_torchrun(const GetVariable& get) {
  Environment env;
  env.launch = Launch::kTorchrun;
  if (!get("WORLD_SIZE")) throw EnvironmentError("environment variable RANK is set but WORLD_SIZE is not");
  env.rank = parse_count(get, "RANK", 0, 0);
  env.world_size = parse_count(get, "WORLD_SIZE", 1, 1);
  env.local_rank = parse_count(get, "LOCAL_RANK", env.rank, 0);
  env.local_world_size = parse_count(get, "LOCAL_WORLD_SIZE", env.world_size, 1);
  read_master(get, env, "127.0.0.1");
  check_ranks(env, "RANK", "WORLD_SIZE");
  return env;
}

Environment read_slurm(const GetVariable& get) {
  Environment env;
  env.launch = Launch::kSlurm;
  env.rank = parse_count(get, "SLURM_PROCID", 0, 0);
  env.world_size = parse_count(get, "SLURM_NTASKS", 1, 1);
  env.local_rank = parse_count(get, "SLURM_LOCALID", 0, 0);
  std::optional<std::string> per_node = get("SLURM_NTASKS_PER_NODE");
  if (!per_node) per_node = get("SLURM_TASKS_PER_NODE");
  env.local_world_size = per_node ? first_slurm_count(*per_node) : env.world_size;
  std::optional<std::string> nodes = get("SLURM_JOB_NODELIST");
  if (!nodes) nodes = get("SLURM_NODELIST");
  read_master(get, env, nodes ? first_slurm_host(*nodes) : "127.0.0.1");
  check_ranks(env, "SLURM_PROCID", "SLURM_NTASKS");
  return env;
}

}  // namespace

std::string first_slurm_host(const std::string& nodelist) {
  // A list is "prefix[ranges],prefix2,..."; commas inside brackets separate ranges, not hosts.
  const size_t bracket = nodelist.find('[');
  const size_t comma = nodelist.find(',');
  if (bracket == std::string::npos || (comma != std::string::npos && comma < bracket))
    return nodelist.substr(0, comma);
  const size_t end = nodelist.find_first_of(",-]", bracket + 1);
  if (end == std::string::npos) throw EnvironmentError("SLURM_JOB_NODELIST=" + nodelist + ": unbalanced '['");
  return nodelist.substr(0, bracket) + nodelist.substr(bracket + 1, end - bracket - 1);
}

int64_t first_slurm_count(const std::string& tasks_per_node) {
  size_t used = 0;
  int64_t count = 0;
  try {
    count = std::stoll(tasks_per_node, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || count < 1)
    throw EnvironmentError("SLURM tasks per node '" + tasks_per_node + "': expected a count such as 4 or 4(x2)");
  return count;
}

Environment read_environment(const GetVariable& get) {
  if (get("RANK")) return read_torchrun(get);
  // srun sets SLURM_STEP_ID for its tasks; the batch script itself (one process that sees
  // SLURM_NTASKS of the whole allocation) runs as a single process.
  if (get("SLURM_PROCID") && get("SLURM_NTASKS") && get("SLURM_STEP_ID")) return read_slurm(get);
  return Environment{};
}

const Environment& process_environment() {
  static const Environment env = read_environment([](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  });
  return env;
}

}  // namespace hft::distributed
