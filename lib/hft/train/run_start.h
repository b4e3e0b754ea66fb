// What a training run does to output_dir before its first step (rank 0 only).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "hft/checkpoint/output_dir_lock.h"  // OutputDirLock

namespace hft::train {

// Creates output_dir and takes the run's lock on it (a second run on the same folder is a
// CheckpointError naming the holder's pid), removes the temporary folders of saves a killed run
// left, writes hft_recipe.yaml, and starts log.jsonl over from `log_history`, the history the run
// continues (empty, or the resumed checkpoint's): log.jsonl then agrees with trainer_state.json's
// log_history, which a resumed run takes from its checkpoint, as the Trainer does. Returns the
// lock, held until the run ends.
checkpoint::OutputDirLock start_output_dir(const std::string& output_dir, const std::string& recipe_yaml,
                                           const std::vector<nlohmann::json>& log_history);

}  // namespace hft::train
