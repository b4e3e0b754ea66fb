// The calls of MLflow's REST API (api/2.0/mlflow/...) a training run makes, one method each.
// Each throws MlflowFailure: `retry` when the server may take the same request later (no answer,
// 5xx, 429), not when it refused the request itself (another 4xx).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "hft/log/http_client.h"      // HttpClient
#include "hft/log/mlflow_settings.h"  // MlflowSettings

namespace hft::log {

class MlflowFailure : public std::runtime_error {
 public:
  MlflowFailure(const std::string& what, bool retry) : std::runtime_error(what), retry(retry) {}
  bool retry;
};

struct MlflowRunInfo {
  std::string run_id, experiment_id;
  std::string artifact_uri;  // mlflow-artifacts:/<experiment>/<run>/artifacts when the server serves them
  std::set<std::string> param_keys;  // the params the run has already (a param's value cannot change)
};

struct MlflowMetric {
  std::string key;
  double value = 0;
  int64_t timestamp_ms = 0;
  int64_t step = 0;
};

using MlflowParams = std::vector<std::pair<std::string, std::string>>;

class MlflowApi {
 public:
  explicit MlflowApi(const MlflowSettings& settings);

  // The id of the experiment named `name`, created when there is none; "0" (Default) when unset.
  std::string experiment_id(const std::optional<std::string>& name) const;
  MlflowRunInfo create_run(const std::string& experiment_id, const std::string& run_name, int64_t start_ms) const;
  MlflowRunInfo get_run(const std::string& run_id) const;
  // At most 1000 metrics and 100 params a call (the server's limits).
  void log_batch(const std::string& run_id, const std::vector<MlflowMetric>& metrics, const MlflowParams& params) const;
  // status: RUNNING, FINISHED, FAILED or KILLED; end_ms set for the last three.
  void update_run(const std::string& run_id, const std::string& status, std::optional<int64_t> end_ms) const;
  // Uploads `file` as `path` (relative, "/"-separated) under the run's artifact root; throws
  // (no retry) when the server does not serve the run's artifacts itself.
  void upload_artifact(const MlflowRunInfo& run, const std::string& path, const std::string& file) const;

 private:
  std::string post(const std::string& endpoint, const std::string& body) const;
  std::string get(const std::string& endpoint_and_query) const;
  std::string checked(const HttpRequest& request) const;

  std::string uri_;
  HttpClient http_;
};

}  // namespace hft::log
