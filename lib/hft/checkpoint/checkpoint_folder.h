// checkpoint-N folders: the model as save_pretrained writes it, trainer_state.json, the
// optimizer state and the resolved recipe; written whole or not at all, and found again for
// resuming (rotation is in rotation.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hft::checkpoint {

// Folders being written (or deleted) start with this; a run removes those a killed run left.
inline constexpr const char* kTemporaryPrefix = ".tmp-checkpoint-";

// "output_dir/checkpoint-500".
std::string checkpoint_path(const std::string& output_dir, int64_t global_step);

// N of a folder named checkpoint-N; nullopt for any other name, and for an N beyond int64
// ("checkpoint-99999999999999999999" is not a step hft can have written).
std::optional<int64_t> checkpoint_step(const std::string& folder);

// The checkpoint-N folders under output_dir, oldest (smallest N) first.
std::vector<std::string> list_checkpoints(const std::string& output_dir);

// A folder that was not used, and why.
struct PassedOver {
  std::string folder;
  std::string problem;
};

// What is wrong with a folder as a checkpoint to use; nullopt when nothing is.
using ProblemOf = std::function<std::optional<std::string>(const std::string& folder)>;

struct LatestCheckpoint {
  std::optional<std::string> folder;     // the newest usable one; nullopt when none
  std::vector<PassedOver> passed_over;   // the newer ones that were not usable, newest first
};

// The newest checkpoint-N under output_dir that `problem_of` finds nothing wrong with; the ones
// after it (a run killed while saving, a damaged file) are passed over and listed.
LatestCheckpoint latest_complete_checkpoint(const std::string& output_dir, const ProblemOf& problem_of);

// Writes a checkpoint folder: `write_contents(temporary_folder)` fills a temporary folder; its
// files are flushed to disk and listed in a manifest, and only then is it renamed into place, so
// a checkpoint is either whole or absent. An existing folder of that name is replaced when hft
// wrote it (it has a manifest); any other is renamed to "kept-checkpoint-N", whose path is
// returned: nothing in it is lost. `before_manifest`, when set, runs between the files and the
// manifest (the tests' failpoint: a run killed at that moment, app/failpoints.h).
std::optional<std::string> write_checkpoint_folder(const std::string& folder,
                                                   const std::function<void(const std::string&)>& write_contents,
                                                   const std::function<void()>& before_manifest = {});

// Removes the temporary folders that runs killed while saving left in output_dir.
void remove_unfinished_saves(const std::string& output_dir);

}  // namespace hft::checkpoint
