// `hft evaluate` and `hft predict`: the runs without training. Each sets up the model and one
// split, passes it through the model (every rank its share of the rows) and writes on rank 0.
#pragma once

#include <string>

#include "hft/config/recipe.h"     // Recipe
#include "hft/train/run_hooks.h"  // RunHooks

namespace hft::train {

// Metrics of model_name_or_path on validation_file, into eval_results.json.
void run_evaluation(const config::Recipe& recipe, const RunHooks& hooks);

// One row per test_file row into `output_path` (.tsv or .jsonl), and predict_results.json with
// test_ metrics when the file has labels.
void run_prediction(const config::Recipe& recipe, const std::string& output_path, const RunHooks& hooks);

}  // namespace hft::train
