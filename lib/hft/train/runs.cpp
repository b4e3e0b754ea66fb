#include "hft/train/runs.h"

#include <filesystem>

#include "hft/checkpoint/atomic_file.h"  // write_json_atomically
#include "hft/report/report_data.h"       // kClassificationReportFile
#include "hft/train/data_parallel.h"     // join_job
#include "hft/train/resume_checks.h"     // check_resumed_recipe
#include "hft/train/run_checkpoints.h"   // checkpoint_to_resume
#include "hft/train/run_setup.h"         // set_up
#include "hft/train/trainer.h"           // Trainer

namespace hft::train {
namespace {

namespace fs = std::filesystem;

// Bad input fails in set_up, before anything is written; then the job is joined.
Trainer trainer_for(const config::Recipe& recipe, task::RunKind kind, const RunHooks& hooks,
                   const std::optional<std::string>& weights_dir = std::nullopt) {
  RunSetup setup = set_up(recipe, kind, hooks, weights_dir);
  std::unique_ptr<distributed::Group> group = join_job(recipe.training, setup.device.is_cuda());  // a world of one without a launcher
  return Trainer(recipe, std::move(setup), std::move(group), hooks);
}

}  // namespace

void run_training(const config::Recipe& recipe, const ResolvedRecipe& resolved, const RunHooks& hooks) {
  const std::optional<std::string> resume_dir = checkpoint_to_resume(recipe.training, hooks, recipe.peft.use_peft);
  if (resume_dir) check_resumed_recipe(recipe, *resume_dir, hooks);
  Trainer trainer = trainer_for(recipe, task::RunKind::kTrain, hooks, resume_dir);
  trainer.train(resolved, resume_dir);
}

void run_evaluation(const config::Recipe& recipe, const RunHooks& hooks) {
  Trainer trainer = trainer_for(recipe, task::RunKind::kEvaluate, hooks);
  const eval::EvalResult result = trainer.evaluate(*trainer.setup().splits.validation);
  if (trainer.group().rank() != 0) return;  // data parallel: every rank evaluated its share, rank 0 writes
  say(hooks, result.metrics.dump());
  const fs::path output_dir(recipe.training.output_dir);
  fs::create_directories(output_dir);
  checkpoint::write_json_atomically((output_dir / "eval_results.json").string(), result.metrics);
  if (!result.classification_report.is_null())
    checkpoint::write_json_atomically((output_dir / report::kClassificationReportFile).string(), result.classification_report);
}

void run_prediction(const config::Recipe& recipe, const std::string& output_path, const RunHooks& hooks) {
  trainer_for(recipe, task::RunKind::kPredict, hooks).predict(output_path);
}

}  // namespace hft::train
