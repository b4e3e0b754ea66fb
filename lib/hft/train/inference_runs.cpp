#include "hft/train/inference_runs.h"

#include <filesystem>

#include "hft/checkpoint/atomic_file.h"      // write_json_atomically
#include "hft/eval/prediction_output.h"      // write_predictions
#include "hft/train/data_parallel.h"         // join_job
#include "hft/train/run_setup.h"             // RunSetup, set_up, evaluate_split, say

namespace hft::train {

namespace fs = std::filesystem;
using nlohmann::json;

void run_evaluation(const config::Recipe& recipe, const RunHooks& hooks) {
  RunSetup s = set_up(recipe, RunKind::kEvaluate, hooks);
  const std::unique_ptr<distributed::Group> group = join_job(recipe.training, s.device.is_cuda());
  const json metrics = evaluate_split(s, *group, *s.splits.validation, recipe.training, s.eval).metrics;
  if (group->rank() != 0) return;  // data parallel: every rank evaluated its share, rank 0 writes
  say(hooks, metrics.dump());
  fs::create_directories(recipe.training.output_dir);
  checkpoint::write_json_atomically((fs::path(recipe.training.output_dir) / "eval_results.json").string(), metrics);
}

void run_prediction(const config::Recipe& recipe, const std::string& output_path, const RunHooks& hooks) {
  RunSetup s = set_up(recipe, RunKind::kPredict, hooks);
  eval::EvalOptions options = s.eval;
  options.prefix = "test";
  options.keep_logits = true;
  const std::unique_ptr<distributed::Group> group = join_job(recipe.training, s.device.is_cuda());
  const eval::EvalResult result = evaluate_split(s, *group, *s.splits.test, recipe.training, options);
  if (group->rank() != 0) return;  // data parallel: every rank predicted its share, rank 0 writes them all
  eval::write_predictions(output_path, result.logits, s.splits.labels.names, s.splits.labels.regression);
  say(hooks, "wrote " + std::to_string(result.rows) + " predictions to " + output_path);
  if (result.metrics.contains("test_loss")) {
    fs::create_directories(recipe.training.output_dir);
    checkpoint::write_json_atomically((fs::path(recipe.training.output_dir) / "predict_results.json").string(), result.metrics);
  }
}

}  // namespace hft::train
