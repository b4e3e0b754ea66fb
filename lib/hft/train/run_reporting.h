// What a training run leaves for people to look at, beside the model: the statistics of its
// data (data_statistics.json), report.html at its end, and its MLflow run (rank 0 only).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "hft/config/recipe.h"         // Recipe, TrainingArguments
#include "hft/log/mlflow_run.h"        // MlflowRun
#include "hft/train/resolved_recipe.h" // ResolvedRecipe
#include "hft/train/run_hooks.h"       // RunHooks
#include "hft/train/run_setup.h"       // RunSetup

namespace hft::train {

// output_dir/data_statistics.json: {"train": ..., "validation": ...} (data::to_json(SplitStats)),
// the splits as this run tokenized them; statistics that cannot be written are a warning.
void write_data_statistics(const RunSetup& setup, const config::TrainingArguments& args, const RunHooks& hooks);

// output_dir/report.html (html_report); a report that cannot be written is a warning, not a
// failed run.
void write_html_report(const config::TrainingArguments& args, const RunHooks& hooks);

// The run's MLflow run when report_to names mlflow (or all, with a server in hooks.mlflow);
// null otherwise. `resuming`: continue the run output_dir/mlflow_run.json names.
std::shared_ptr<log::MlflowRun> start_mlflow_run(const config::TrainingArguments& args, const ResolvedRecipe& recipe,
                                                 const RunHooks& hooks, bool resuming);

// Uploads output_dir's files (completed runs), ends the MLflow run and says what was not
// delivered.
void finish_mlflow_run(log::MlflowRun& run, const config::TrainingArguments& args, bool completed, const RunHooks& hooks);

}  // namespace hft::train
