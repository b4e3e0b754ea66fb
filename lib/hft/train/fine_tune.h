// The three runs a recipe asks for, wired from the components like a torchtune recipe: set up
// (tokenizer, data splits, model), then train / evaluate / predict, then write the results into
// output_dir in the layout transformers uses.
#pragma once

#include <functional>
#include <string>

#include "hft/config/recipe.h"  // Recipe

namespace hft::train {

struct RunHooks {
  std::function<void(const std::string&)> info;  // one line of progress for the user
  std::function<void(const std::string&)> warn;  // one warning line; unset: "warning: " through info
  std::function<bool()> stop_requested;          // a signal arrived: finish the step and stop
  std::string cache_dir;                         // tokenized splits are cached here; empty: no cache
  std::function<void()> before_manifest;         // runs between a checkpoint's files and its manifest (tests)
};

// `hft train`: trains, evaluating and saving as the recipe says, then writes the final model,
// trainer_state.json and *_results.json into output_dir. `resolved_recipe_yaml` is written to
// output_dir/hft_recipe.yaml when the run starts.
void run_training(const config::Recipe& recipe, const std::string& resolved_recipe_yaml, const RunHooks& hooks);

// `hft evaluate`: metrics of model_name_or_path on validation_file, into eval_results.json.
void run_evaluation(const config::Recipe& recipe, const RunHooks& hooks);

// `hft predict`: one row per test_file row into `output_path` (.tsv or .jsonl), and
// predict_results.json with test_ metrics when the file has labels.
void run_prediction(const config::Recipe& recipe, const std::string& output_path, const RunHooks& hooks);

}  // namespace hft::train
