// What a run needs from the program that starts it: where its lines go, whether a signal asked
// it to stop, where tokenized splits are cached, the MLflow server the environment names, and the
// tests' failpoint.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "hft/log/mlflow_settings.h"  // MlflowSettings

namespace hft::train {

struct RunHooks {
  std::function<void(const std::string&)> info;  // one line of progress for the user
  std::function<void(const std::string&)> warn;  // one warning line; unset: "warning: " through info
  std::function<bool()> stop_requested;          // a signal arrived: finish the step and stop
  std::string cache_dir;                         // tokenized splits are cached here; empty: no cache
  std::function<void()> before_manifest;         // runs between a checkpoint's files and its manifest (tests)
  std::optional<log::MlflowSettings> mlflow;     // the tracking server the environment names, if any
};

}  // namespace hft::train
