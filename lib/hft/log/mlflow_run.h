// A training run's MLflow run: params, every log entry's numbers as metrics at its step, the
// model folder's files as artifacts, and the end status, sent by a thread of its own so that a
// slow or absent server never holds up a step. What cannot be sent is kept and retried; a server
// that does not answer costs one warning line, and the run goes on.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>

#include "hft/log/mlflow_api.h"       // MlflowParams
#include "hft/log/mlflow_settings.h"  // MlflowSettings

namespace hft::log {

struct MlflowRunOptions {
  MlflowSettings settings;
  std::string run_name;     // a new run's name (the Trainer's run_name, default output_dir)
  std::string record_path;  // output_dir/mlflow_run.json: the run a resumed training continues
  bool resuming = false;    // continue the run of record_path (MLFLOW_RUN_ID wins over it)
  MlflowParams params;      // the resolved recipe, one param per key
};

class MlflowRun {
 public:
  explicit MlflowRun(MlflowRunOptions options);
  ~MlflowRun();  // gives up what is not sent yet, without waiting (finish() waits)
  MlflowRun(const MlflowRun&) = delete;
  MlflowRun& operator=(const MlflowRun&) = delete;

  // Every number of a log_history entry but "step", as a metric at the entry's step.
  void log_entry(const nlohmann::json& entry);
  // Every file directly in `folder` (not its subfolders: checkpoints, TensorBoard runs; not the
  // run's lock), as an artifact under its own name.
  void log_folder_files(const std::string& folder);
  // The first problem with the server, once, for the caller to print (the thread prints nothing).
  std::optional<std::string> take_warning();
  // Ends the run (FINISHED, or KILLED when the training stopped early) and waits while the
  // server takes what is queued; gives up after 10 s without an answer. Returns a line saying
  // what was not delivered, if anything.
  std::optional<std::string> finish(bool completed);

 private:
  struct State;  // the queue and the thread (mlflow_run.cpp)
  std::unique_ptr<State> state_;
};

}  // namespace hft::log
