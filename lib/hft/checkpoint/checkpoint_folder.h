// checkpoint-N folders: the model as save_pretrained writes it, trainer_state.json, the
// optimizer state and the resolved recipe; rotation keeps the newest save_total_limit of them
// (and the best), as the Trainer's _rotate_checkpoints does.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hft::checkpoint {

// "output_dir/checkpoint-500".
std::string checkpoint_path(const std::string& output_dir, int64_t global_step);

// The checkpoint-N folders under output_dir, oldest (smallest N) first.
std::vector<std::string> list_checkpoints(const std::string& output_dir);

// The newest checkpoint-N under output_dir whose manifest matches its files; nullopt when none.
// Incomplete ones (a run killed while saving) are passed over.
std::optional<std::string> latest_complete_checkpoint(const std::string& output_dir);

// Writes a checkpoint folder: `write_contents(temporary_folder)` fills a temporary folder; its
// files are flushed to disk and listed in a manifest, and only then is it renamed into place, so
// a checkpoint is either whole or absent.
void write_checkpoint_folder(const std::string& folder, const std::function<void(const std::string&)>& write_contents);

// Removes the temporary folders that runs killed while saving left in output_dir.
void remove_unfinished_saves(const std::string& output_dir);

// Deletes the oldest checkpoints beyond `limit`, never `keep` (the best model's).
std::vector<std::string> rotate_checkpoints(const std::string& output_dir, int64_t limit,
                                            const std::optional<std::string>& keep);

}  // namespace hft::checkpoint
