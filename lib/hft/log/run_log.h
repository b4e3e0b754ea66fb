// Where a training run's log entries go: a line on the console (above the progress bar),
// output_dir/log.jsonl, TensorBoard event files when report_to names tensorboard (tags as the
// Trainer's TensorBoardCallback writes them: train/loss, eval/accuracy, ...), and an MLflow run
// when report_to names mlflow.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "hft/log/mlflow_run.h"         // MlflowRun
#include "hft/log/progress_bar.h"        // ProgressBar
#include "hft/log/tensorboard_writer.h"  // TensorBoardWriter

namespace hft::log {

struct RunLogOptions {
  std::function<void(const std::string&)> print;  // a line for the user; unset: stdout
  std::string jsonl_path;                      // empty: no JSON Lines file
  std::optional<std::string> tensorboard_dir;  // set: write TensorBoard event files there
  std::shared_ptr<MlflowRun> mlflow;           // set: every entry's numbers go to this run too
  int64_t total_steps = 0;
  bool progress_bar = false;
};

// "train/loss" for "loss", "eval/accuracy" for "eval_accuracy", "test/f1" for "test_f1"
// (transformers' rewrite_logs).
std::string tensorboard_tag(const std::string& key);

class RunLog {
 public:
  explicit RunLog(const RunLogOptions& options);

  // One log_history entry (it carries "step"): every number goes to TensorBoard.
  void entry(const nlohmann::json& entry);
  // A line for the user.
  void line(const std::string& text);
  void step(int64_t global_step) { bar_.update(global_step); }
  void finish() { bar_.finish(); }

 private:
  std::function<void(const std::string&)> print_;
  std::string jsonl_path_;
  std::unique_ptr<TensorBoardWriter> tensorboard_;
  std::shared_ptr<MlflowRun> mlflow_;
  ProgressBar bar_;
};

// The default logging_dir: output_dir/runs/<Mon>DD_HH-MM-SS_<host>, as transformers names it.
std::string default_logging_dir(const std::string& output_dir);

}  // namespace hft::log
