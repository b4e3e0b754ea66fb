// `hft train`, `hft evaluate` and `hft predict`, each wired like a torchtune recipe: set up the
// run (task, tokenizer, data, model), join the job, build the Trainer, call one operation.
#pragma once

#include <string>

#include "hft/config/recipe.h"    // Recipe
#include "hft/train/resolved_recipe.h"  // ResolvedRecipe
#include "hft/train/run_hooks.h"        // RunHooks

namespace hft::train {

// Trains (resuming when resume_from_checkpoint says so), then writes the final model,
// trainer_state.json, *_results.json and report.html into output_dir. `resolved.yaml` is written
// to output_dir/hft_recipe.yaml when the run starts, and into every checkpoint.
void run_training(const config::Recipe& recipe, const ResolvedRecipe& resolved, const RunHooks& hooks);

// Metrics of model_name_or_path on validation_file, into eval_results.json (and classification's
// confusion matrix into eval_classification_report.json).
void run_evaluation(const config::Recipe& recipe, const RunHooks& hooks);

// One row per test_file row into `output_path` (.tsv or .jsonl), and predict_results.json with
// test_ metrics when the file has labels.
void run_prediction(const config::Recipe& recipe, const std::string& output_path, const RunHooks& hooks);

}  // namespace hft::train
