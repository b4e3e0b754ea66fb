// Where an MLflow run goes, as the MLflow client and the Trainer's MLflowCallback read it from
// the environment: the tracking server, the experiment, a run to continue, and credentials.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace hft::log {

struct MlflowSettings {
  std::string tracking_uri;                    // MLFLOW_TRACKING_URI: http(s)://host:port of the server
  std::optional<std::string> experiment_name;  // MLFLOW_EXPERIMENT_NAME; unset: the Default experiment (id 0)
  std::optional<std::string> run_id;           // MLFLOW_RUN_ID: log into this run instead of a new one
  std::optional<std::string> token;            // MLFLOW_TRACKING_TOKEN: "Authorization: Bearer"
  std::optional<std::string> username, password;  // MLFLOW_TRACKING_USERNAME / _PASSWORD: basic auth
  bool insecure_tls = false;                   // MLFLOW_TRACKING_INSECURE_TLS: no certificate check
  bool log_artifacts = true;                   // HF_MLFLOW_LOG_ARTIFACTS=0/false turns the upload of the model off
};

// The settings from `env` (std::getenv in the program); nullopt without MLFLOW_TRACKING_URI.
std::optional<MlflowSettings> mlflow_settings_from(const std::function<const char*(const char*)>& env);

}  // namespace hft::log
