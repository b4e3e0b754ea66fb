// The Trainer: one object for one run of a recipe, as transformers.Trainer is. It holds what
// set_up built (the task, the data, the model with its head on its device) and the process
// group of the job, and offers the named operations of a run: train, evaluate, predict and
// save_checkpoint. Training owns the optimizer, the schedule, the run log, early stopping and
// the data parallelism, and hands the training loop its side of the run (a LoopHost).
#pragma once

#include <torch/optim/optimizer.h>

#include <memory>
#include <optional>
#include <string>

#include "hft/config/recipe.h"              // Recipe
#include "hft/distributed/process_group.h"  // Group
#include "hft/eval/evaluation_loop.h"       // EvalResult
#include "hft/log/run_log.h"                // RunLog
#include "hft/train/best_model.h"           // EarlyStopping
#include "hft/train/data_parallel.h"        // DataParallel
#include "hft/train/lr_schedule.h"          // LrSchedule
#include "hft/train/resolved_recipe.h"      // ResolvedRecipe
#include "hft/train/run_hooks.h"            // RunHooks
#include "hft/train/run_setup.h"            // RunSetup
#include "hft/train/training_loop.h"        // SavedProgress, TrainOutcome

namespace hft::train {

class Trainer {
 public:
  // `recipe` must outlive the Trainer; `group` is the job's (a world of one without a launcher).
  Trainer(const config::Recipe& recipe, RunSetup setup, std::unique_ptr<distributed::Group> group, RunHooks hooks);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Trains from the start, or on from the checkpoint in `resume_dir`, evaluating and saving as
  // the recipe says; then writes the final (or best) model, trainer_state.json and the
  // *_results.json files into output_dir, then report.html. `recipe.yaml` goes into output_dir
  // and every checkpoint. A signal stops it after a step, with a checkpoint.
  // With report_to mlflow, the run's log entries, params (recipe.params) and model go to MLflow.
  void train(const ResolvedRecipe& recipe, const std::optional<std::string>& resume_dir);

  // Metrics of the model on `split`, named `<prefix>_loss`, ...: every rank evaluates its share,
  // and every rank gets the metrics over all rows. With `keep_outputs`, every row's logits too.
  eval::EvalResult evaluate(const data::EncodedDataset& split, const std::string& prefix = "eval",
                            bool keep_outputs = false);

  // The test split's predictions into `output_path` (.tsv or .jsonl), and its test_ metrics into
  // output_dir/predict_results.json when it has labels; rank 0 writes.
  void predict(const std::string& output_path);

  // Writes checkpoint-<global_step> of `progress` (rank 0 writes, with every rank's generator
  // states) and records in progress.state whether it is the best one.
  void save_checkpoint(SavedProgress& progress);

  const RunSetup& setup() const { return s_; }
  distributed::Group& group() { return *group_; }

 private:
  class LoopSide;  // what the training loop sees of the Trainer (trainer.cpp)

  data::Collate collate() const;
  SavedProgress resume_from(const std::string& checkpoint_dir);
  void write_results(const TrainOutcome& outcome);

  const config::Recipe& recipe_;
  RunSetup s_;
  std::unique_ptr<distributed::Group> group_;
  RunHooks hooks_;           // the program's: lines to the console
  RunHooks training_hooks_;  // while training: the same lines, printed above the progress bar
  std::string recipe_yaml_;
  // Built by train():
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  LrSchedule schedule_;
  std::shared_ptr<log::MlflowRun> mlflow_;  // rank 0, report_to mlflow
  std::unique_ptr<log::RunLog> run_log_;
  std::optional<EarlyStopping> early_stopping_;
  std::unique_ptr<DataParallel> data_parallel_;
};

}  // namespace hft::train
