// Resuming continues the saved run: the recipe of the resumed run is compared key by key with the
// one the checkpoint holds (hft_recipe.yaml, the resolved recipe of the run that saved it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hft/config/recipe.h"    // Recipe
#include "hft/train/run_hooks.h"  // RunHooks

namespace hft::train {

// Throws CheckpointError for what cannot continue: another model_name_or_path, config_name,
// tokenizer_name or model_revision (the checkpoint's weights would silently go on), or another
// model_type. Every other changed key that changes training is one warning line.
void check_resumed_recipe(const config::Recipe& recipe, const std::string& checkpoint_dir, const RunHooks& hooks);

// The warning for a checkpoint saved by `saved` processes resumed by `now` (global batch
// `per_process_batch` rows per process); nullopt when the same or unknown.
std::optional<std::string> world_size_change(const std::string& checkpoint_dir, std::optional<int64_t> saved,
                                             int64_t now, int64_t per_process_batch);

}  // namespace hft::train
