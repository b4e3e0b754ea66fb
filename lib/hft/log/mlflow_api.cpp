#include "hft/log/mlflow_api.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace hft::log {
namespace {

using nlohmann::json;

const std::string kApi = "/api/2.0/mlflow/";
const std::string kArtifactsApi = "/api/2.0/mlflow-artifacts/artifacts/";
const std::string kServedArtifacts = "mlflow-artifacts:";

HttpAuth auth_of(const MlflowSettings& s) { return HttpAuth{s.token, s.username, s.password, s.insecure_tls}; }

json parsed(const std::string& body, const std::string& what) {
  json value = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) throw MlflowFailure(what + ": the answer is not JSON", /*retry=*/true);
  return value;
}

// The server's own words for a refusal: {"error_code": ..., "message": ...}.
std::string refusal(const HttpResponse& r) {
  const json body = json::parse(r.body, nullptr, false);
  if (body.is_object() && body.contains("message")) return body.value("error_code", "") + ": " + body["message"].get<std::string>();
  return r.body.substr(0, 200);
}

// JSON has no NaN or infinity; the server's protobuf reader takes them as these strings.
json metric_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

MlflowRunInfo run_info(const json& answer) {
  const json& info = answer.at("run").at("info");
  MlflowRunInfo run{info.at("run_id").get<std::string>(), info.at("experiment_id").get<std::string>(),
                    info.value("artifact_uri", ""), {}};
  const json data = answer.at("run").value("data", json::object());
  for (const json& param : data.value("params", json::array())) run.param_keys.insert(param.value("key", ""));
  return run;
}

// "mlflow-artifacts:/1/abc/artifacts" or "mlflow-artifacts://host:port/1/abc/artifacts" -> "1/abc/artifacts".
std::string served_artifact_root(const std::string& uri) {
  std::string rest = uri.substr(kServedArtifacts.size());
  if (rest.rfind("//", 0) == 0) {
    const size_t slash = rest.find('/', 2);
    rest = slash == std::string::npos ? "" : rest.substr(slash);
  }
  while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
  return rest;
}

std::string escaped_path(const std::string& path) {
  std::string out, segment;
  for (const char c : path + "/") {
    if (c != '/') {
      segment += c;
      continue;
    }
    if (!segment.empty()) out += (out.empty() ? "" : "/") + HttpClient::escaped(segment);
    segment.clear();
  }
  return out;
}

}  // namespace

MlflowApi::MlflowApi(const MlflowSettings& settings) : uri_(settings.tracking_uri), http_(auth_of(settings)) {}

std::string MlflowApi::checked(const HttpRequest& request) const {
  const HttpResponse r = http_.send(request);
  if (r.status == 0) throw MlflowFailure(r.error, /*retry=*/true);
  if (r.status >= 200 && r.status < 300) return r.body;
  const bool retry = r.status >= 500 || r.status == 429;
  throw MlflowFailure("HTTP " + std::to_string(r.status) + " from " + request.url + ": " + refusal(r), retry);
}

std::string MlflowApi::post(const std::string& endpoint, const std::string& body) const {
  return checked({"POST", uri_ + kApi + endpoint, {"Content-Type: application/json"}, body, ""});
}

std::string MlflowApi::get(const std::string& endpoint_and_query) const {
  return checked({"GET", uri_ + kApi + endpoint_and_query, {}, "", ""});
}

std::string MlflowApi::experiment_id(const std::optional<std::string>& name) const {
  if (!name) return "0";
  try {
    const json answer = parsed(get("experiments/get-by-name?experiment_name=" + HttpClient::escaped(*name)), "get-by-name");
    return answer.at("experiment").at("experiment_id").get<std::string>();
  } catch (const MlflowFailure& failure) {
    if (failure.retry || std::string(failure.what()).find("RESOURCE_DOES_NOT_EXIST") == std::string::npos) throw;
  }
  return parsed(post("experiments/create", json{{"name", *name}}.dump()), "experiments/create").at("experiment_id").get<std::string>();
}

MlflowRunInfo MlflowApi::create_run(const std::string& experiment_id, const std::string& run_name, int64_t start_ms) const {
  const json request = {{"experiment_id", experiment_id}, {"run_name", run_name}, {"start_time", start_ms},
                        {"tags", json::array({{{"key", "mlflow.runName"}, {"value", run_name}}})}};
  return run_info(parsed(post("runs/create", request.dump()), "runs/create"));
}

MlflowRunInfo MlflowApi::get_run(const std::string& run_id) const {
  return run_info(parsed(get("runs/get?run_id=" + HttpClient::escaped(run_id)), "runs/get"));
}

void MlflowApi::log_batch(const std::string& run_id, const std::vector<MlflowMetric>& metrics, const MlflowParams& params) const {
  json m = json::array(), p = json::array();
  for (const MlflowMetric& metric : metrics)
    m.push_back({{"key", metric.key}, {"value", metric_value(metric.value)}, {"timestamp", metric.timestamp_ms}, {"step", metric.step}});
  for (const auto& [key, value] : params) p.push_back({{"key", key}, {"value", value}});
  post("runs/log-batch", json{{"run_id", run_id}, {"metrics", m}, {"params", p}}.dump());
}

void MlflowApi::update_run(const std::string& run_id, const std::string& status, std::optional<int64_t> end_ms) const {
  json request = {{"run_id", run_id}, {"status", status}};
  if (end_ms) request["end_time"] = *end_ms;
  post("runs/update", request.dump());
}

void MlflowApi::upload_artifact(const MlflowRunInfo& run, const std::string& path, const std::string& file) const {
  if (run.artifact_uri.rfind(kServedArtifacts, 0) != 0)
    throw MlflowFailure("the run's artifacts go to " + run.artifact_uri +
                            ", which hft does not write; start the server with artifact serving (its default)",
                        /*retry=*/false);
  const std::string url = uri_ + kArtifactsApi + escaped_path(served_artifact_root(run.artifact_uri) + "/" + path);
  checked({"PUT", url, {"Content-Type: application/octet-stream"}, "", file});
}

}  // namespace hft::log
