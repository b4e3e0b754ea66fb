#include "hft/log/mlflow_settings.h"

#include <algorithm>
#include <cctype>

namespace hft::log {
namespace {

std::optional<std::string> value_of(const std::function<const char*(const char*)>& env, const char* name) {
  const char* value = env(name);
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

bool is_false(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text == "0" || text == "false" || text == "no" || text == "off";
}

}  // namespace

std::optional<MlflowSettings> mlflow_settings_from(const std::function<const char*(const char*)>& env) {
  const std::optional<std::string> uri = value_of(env, "MLFLOW_TRACKING_URI");
  if (!uri) return std::nullopt;
  MlflowSettings settings;
  settings.tracking_uri = *uri;
  while (!settings.tracking_uri.empty() && settings.tracking_uri.back() == '/') settings.tracking_uri.pop_back();
  settings.experiment_name = value_of(env, "MLFLOW_EXPERIMENT_NAME");
  settings.run_id = value_of(env, "MLFLOW_RUN_ID");
  settings.token = value_of(env, "MLFLOW_TRACKING_TOKEN");
  settings.username = value_of(env, "MLFLOW_TRACKING_USERNAME");
  settings.password = value_of(env, "MLFLOW_TRACKING_PASSWORD");
  const std::optional<std::string> insecure = value_of(env, "MLFLOW_TRACKING_INSECURE_TLS");
  settings.insecure_tls = insecure && !is_false(*insecure);
  const std::optional<std::string> artifacts = value_of(env, "HF_MLFLOW_LOG_ARTIFACTS");
  settings.log_artifacts = !artifacts || !is_false(*artifacts);
  return settings;
}

}  // namespace hft::log
