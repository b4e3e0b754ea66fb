// Rules of the machine: dataloader_num_workers bounded by its cores (4 threads each, at least 32,
// so that a recipe written on a larger machine runs), ddp_backend nccl only with GPUs.
#include "hft/config/device_rules.h"

#include <catch2/catch.hpp>

#include "../test_files.h"

using namespace hft::config;
using hft::testing::ScratchDir;

namespace {

std::vector<std::string> machine_errors(const std::vector<std::string>& overrides, const Machine& machine) {
  ScratchDir dir;
  const auto path = dir.write("r.yaml", "model_name_or_path: " + dir.path() + "\noutput_dir: " + dir.path("out") + "\n");
  std::vector<std::string> out;
  for (const auto& error : check_device_rules(load_recipe(path, overrides, Verb::kValidate), machine))
    out.push_back(error.message());
  return out;
}

}  // namespace

TEST_CASE("loader threads are bounded by the machine's cores") {
  CHECK(max_loader_workers(Machine{true, 2}) == 32);
  CHECK(max_loader_workers(Machine{true, 8}) == 32);
  CHECK(max_loader_workers(Machine{true, 64}) == 256);
  CHECK(machine_errors({"dataloader_num_workers=32"}, Machine{true, 2}).empty());
  const auto errors = machine_errors({"dataloader_num_workers=100000"}, Machine{true, 2});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] ==
        "command line `dataloader_num_workers=100000`: dataloader_num_workers: more batch-collating threads than this "
        "machine can run (got 100000); expected 0 to 32 on this machine (2 cores: 4 threads per core, at least 32)");
  CHECK(machine_errors({"dataloader_num_workers=100000"}, Machine{true, 32768}).empty());
}

TEST_CASE("nccl needs a GPU run") {
  CHECK(machine_errors({"ddp_backend=nccl"}, Machine{true, 2}).size() == 1);
  CHECK(machine_errors({"ddp_backend=nccl"}, Machine{false, 2}).empty());
}
