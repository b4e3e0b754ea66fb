// save_total_limit among folders hft did not write: a user's checkpoint-1/ with files of theirs,
// an empty checkpoint-100/, a checkpoint-<20 digits>/. Rotation counts only the complete
// checkpoints hft wrote, never touches the others, and reports each.
#include "hft/checkpoint/rotation.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "../test_files.h"
#include "hft/checkpoint/checkpoint_folder.h"

using namespace hft;
namespace fs = std::filesystem;

namespace {

std::optional<std::string> write_hft_checkpoint(const testing::ScratchDir& scratch, int64_t step) {
  return checkpoint::write_checkpoint_folder(checkpoint::checkpoint_path(scratch.path(), step), [&](const std::string& dir) {
    std::ofstream(dir + "/model.safetensors") << "weights of step " << step;
  });
}

}  // namespace

TEST_CASE("rotation deletes only complete checkpoints hft wrote, and names the folders it left alone") {
  testing::ScratchDir scratch;
  const std::string huge = "checkpoint-99999999999999999999";
  fs::create_directories(scratch.path("checkpoint-1"));
  scratch.write("checkpoint-1/data.txt", "the user's");
  fs::create_directories(scratch.path("checkpoint-100"));
  fs::create_directories(scratch.path(huge));
  for (int64_t step : {2, 4, 6}) write_hft_checkpoint(scratch, step);

  const checkpoint::Rotation rotation = checkpoint::rotate_checkpoints(scratch.path(), 1, std::nullopt, {"model.safetensors"});

  // The Trainer's rule over hft's checkpoints 2, 4, 6 with a limit of 1: only the newest, 6, stays.
  CHECK(rotation.deleted == std::vector<std::string>{scratch.path("checkpoint-2"), scratch.path("checkpoint-4")});
  CHECK(fs::exists(scratch.path("checkpoint-6/model.safetensors")));
  CHECK(fs::exists(scratch.path("checkpoint-1/data.txt")));
  CHECK(fs::is_directory(scratch.path("checkpoint-100")));
  CHECK(fs::is_directory(scratch.path(huge)));
  std::vector<std::string> left_alone;
  for (const auto& [folder, problem] : rotation.left_alone) left_alone.push_back(fs::path(folder).filename().string());
  std::sort(left_alone.begin(), left_alone.end());
  CHECK(left_alone == std::vector<std::string>{"checkpoint-1", "checkpoint-100", huge});
}

TEST_CASE("a checkpoint missing a required file does not count, so the newest whole one stays") {
  testing::ScratchDir scratch;
  for (int64_t step : {2, 4}) write_hft_checkpoint(scratch, step);
  const auto rotation = checkpoint::rotate_checkpoints(scratch.path(), 1, std::nullopt, {"model.safetensors", "config.json"});
  CHECK(rotation.deleted.empty());
  CHECK(rotation.left_alone.size() == 2);
}

TEST_CASE("a step number beyond int64 is not a checkpoint step") {
  CHECK(checkpoint::checkpoint_step("out/checkpoint-500") == 500);
  CHECK(checkpoint::checkpoint_step("out/checkpoint-9223372036854775807") == INT64_MAX);
  CHECK_FALSE(checkpoint::checkpoint_step("out/checkpoint-9223372036854775808"));
  CHECK_FALSE(checkpoint::checkpoint_step("out/checkpoint-99999999999999999999"));
  CHECK_FALSE(checkpoint::checkpoint_step("out/checkpoint-best"));
  testing::ScratchDir scratch;
  fs::create_directories(scratch.path("checkpoint-99999999999999999999"));
  write_hft_checkpoint(scratch, 3);
  CHECK(checkpoint::list_checkpoints(scratch.path()) == std::vector<std::string>{scratch.path("checkpoint-3")});
}

TEST_CASE("a save over a folder hft did not write keeps that folder under another name") {
  testing::ScratchDir scratch;
  fs::create_directories(scratch.path("checkpoint-1"));
  scratch.write("checkpoint-1/data.txt", "the user's");
  CHECK(write_hft_checkpoint(scratch, 1) == scratch.path("kept-checkpoint-1"));
  CHECK(fs::exists(scratch.path("kept-checkpoint-1/data.txt")));
  CHECK(fs::exists(scratch.path("checkpoint-1/hft_manifest.json")));
  CHECK_FALSE(write_hft_checkpoint(scratch, 1));  // hft's own: replaced
  CHECK(fs::exists(scratch.path("checkpoint-1/model.safetensors")));
  CHECK(checkpoint::list_checkpoints(scratch.path()) == std::vector<std::string>{scratch.path("checkpoint-1")});
}
