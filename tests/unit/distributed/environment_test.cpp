// The job's environment as torchrun and srun set it (cases written from their documentation).
#include <catch2/catch.hpp>

#include <map>

#include "hft/distributed/environment.h"
#include "hft/distributed/nccl_backend.h"

using hft::distributed::Environment;
using hft::distributed::EnvironmentError;
using hft::distributed::Launch;

namespace {

Environment read(const std::map<std::string, std::string>& vars) {
  return hft::distributed::read_environment([&](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

}  // namespace

TEST_CASE("no launcher variables: one process", "[distributed]") {
  const Environment env = read({{"PATH", "/bin"}});
  CHECK(env.launch == Launch::kSingle);
  CHECK(env.world_size == 1);
  CHECK_FALSE(env.distributed());
}

TEST_CASE("torchrun's variables", "[distributed]") {
  const Environment env = read({{"RANK", "5"}, {"LOCAL_RANK", "1"}, {"WORLD_SIZE", "8"}, {"LOCAL_WORLD_SIZE", "4"},
                                {"MASTER_ADDR", "node7"}, {"MASTER_PORT", "29400"}});
  CHECK(env.launch == Launch::kTorchrun);
  CHECK(env.rank == 5);
  CHECK(env.local_rank == 1);
  CHECK(env.world_size == 8);
  CHECK(env.local_world_size == 4);
  CHECK(env.master_addr == "node7");
  CHECK(env.master_port == 29400);
  CHECK(env.distributed());
}

TEST_CASE("torchrun defaults: master on localhost:29500", "[distributed]") {
  const Environment env = read({{"RANK", "0"}, {"WORLD_SIZE", "2"}});
  CHECK(env.master_addr == "127.0.0.1");
  CHECK(env.master_port == 29500);
  CHECK(env.local_rank == 0);
  CHECK(env.local_world_size == 2);
}

TEST_CASE("srun's variables: master is the first host of the node list", "[distributed]") {
  const Environment env = read({{"SLURM_PROCID", "6"}, {"SLURM_LOCALID", "2"}, {"SLURM_NTASKS", "8"},
                                {"SLURM_STEP_ID", "0"}, {"SLURM_NTASKS_PER_NODE", "4"},
                                {"SLURM_JOB_NODELIST", "gpu[017-018]"}});
  CHECK(env.launch == Launch::kSlurm);
  CHECK(env.rank == 6);
  CHECK(env.local_rank == 2);
  CHECK(env.world_size == 8);
  CHECK(env.local_world_size == 4);
  CHECK(env.master_addr == "gpu017");
  CHECK(env.master_port == 29500);
}

TEST_CASE("an sbatch script (no srun step) is one process", "[distributed]") {
  const Environment env = read({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "8"}, {"SLURM_JOB_NODELIST", "a,b"}});
  CHECK(env.launch == Launch::kSingle);
  CHECK(env.world_size == 1);
}

TEST_CASE("torchrun's variables win over SLURM's (torchrun inside an allocation)", "[distributed]") {
  const Environment env = read({{"RANK", "1"}, {"WORLD_SIZE", "2"}, {"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "1"},
                                {"SLURM_STEP_ID", "0"}});
  CHECK(env.launch == Launch::kTorchrun);
  CHECK(env.rank == 1);
}

TEST_CASE("SLURM host lists", "[distributed]") {
  CHECK(hft::distributed::first_slurm_host("node01") == "node01");
  CHECK(hft::distributed::first_slurm_host("a,b,c") == "a");
  CHECK(hft::distributed::first_slurm_host("node[01-04,07],gpu9") == "node01");
  CHECK(hft::distributed::first_slurm_host("node[3,5]") == "node3");
  CHECK(hft::distributed::first_slurm_host("login1,node[3-4]") == "login1");
  CHECK(hft::distributed::first_slurm_host("rack2-n[9]") == "rack2-n9");
  CHECK(hft::distributed::first_slurm_count("4(x2),2") == 4);
  CHECK(hft::distributed::first_slurm_count("8") == 8);
}

TEST_CASE("unusable values name the variable", "[distributed]") {
  auto message = [](const std::map<std::string, std::string>& vars) {
    try {
      read(vars);
    } catch (const EnvironmentError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message({{"RANK", "x"}, {"WORLD_SIZE", "2"}}) == "environment variable RANK=x: expected an integer >= 0");
  CHECK(message({{"RANK", "2"}, {"WORLD_SIZE", "2"}}) == "environment variable RANK=2: must be below WORLD_SIZE=2");
  CHECK(message({{"RANK", "0"}}) == "environment variable RANK is set but WORLD_SIZE is not");
  CHECK(message({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "70000"}}) ==
        "environment variable MASTER_PORT=70000: expected a TCP port, 1..65535");
  CHECK(message({{"RANK", "0"}, {"WORLD_SIZE", "0"}}) == "environment variable WORLD_SIZE=0: expected an integer >= 1");
}

// The CUDA wheel's LibTorch has NCCL: hft must compile against that NCCL's nccl.h, not another one
// on the include path (a CUDA toolkit's), or ProcessGroupNCCL's options are laid out differently.
TEST_CASE("NCCL: compiled against the nccl.h of the NCCL LibTorch loads", "[distributed]") {
  if (!hft::distributed::nccl_available()) return;  // a CPU-only LibTorch: nothing to compare
  const hft::distributed::NcclVersions versions = hft::distributed::nccl_versions();
  INFO("compiled against NCCL " << versions.compiled << ", LibTorch loads " << versions.loaded);
  CHECK(versions.compiled == versions.loaded);
  CHECK(versions.compiled > 0);
}
