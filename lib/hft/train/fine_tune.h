// `hft train`, wired from the components like a torchtune recipe: set up (tokenizer, data splits,
// model), train, then write the results into output_dir in the layout transformers uses.
#pragma once

#include <string>

#include "hft/config/recipe.h"     // Recipe
#include "hft/train/run_hooks.h"  // RunHooks

namespace hft::train {

// Trains, evaluating and saving as the recipe says, then writes the final model,
// trainer_state.json and *_results.json into output_dir. `resolved_recipe_yaml` is written to
// output_dir/hft_recipe.yaml when the run starts.
void run_training(const config::Recipe& recipe, const std::string& resolved_recipe_yaml, const RunHooks& hooks);

}  // namespace hft::train
