#include "hft/report/report_data.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "hft/report/report_error.h"  // ReportError

namespace hft::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The file's JSON, or null when there is no such file.
json read_json_or_null(const fs::path& path) {
  const std::optional<std::string> text = read_text(path);
  if (!text) return nullptr;
  json value = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) throw ReportError(path.string() + ": not valid JSON; expected the file as hft or the Trainer writes it");
  return value;
}

// log.jsonl: one log_history entry per line (what an interrupted run has instead of trainer_state.json).
json read_log_lines(const fs::path& path, const std::string& text) {
  json entries = json::array();
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (line.empty()) continue;
    json entry = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (entry.is_discarded() || !entry.is_object())
      throw ReportError(path.string() + ":" + std::to_string(number) + ": not a JSON object; expected one log entry per line");
    entries.push_back(std::move(entry));
  }
  return entries;
}

// metric_for_best_model as log entries name it (eval_accuracy), from the run's resolved recipe;
// null when the recipe names none or cannot be read.
json best_metric_name(const std::optional<std::string>& recipe_yaml) {
  if (!recipe_yaml) return nullptr;
  try {
    const YAML::Node key = YAML::Load(*recipe_yaml)["metric_for_best_model"];
    if (!key || !key.IsScalar() || key.Scalar().empty() || key.Tag() == "tag:yaml.org,2002:null") return nullptr;
    const std::string name = key.Scalar();
    if (name == "null" || name == "~") return nullptr;
    return name.rfind("eval_", 0) == 0 ? name : "eval_" + name;
  } catch (const YAML::Exception&) {
    return nullptr;  // the recipe is shown as text all the same
  }
}

json read_run(const fs::path& folder, const std::string& name) {
  const json state = read_json_or_null(folder / "trainer_state.json");
  json run = {{"name", name}, {"folder", folder.string()}};
  if (state.is_object()) {
    run["log_history"] = state.value("log_history", json::array());
    for (const char* key : {"best_global_step", "best_metric", "best_model_checkpoint"}) run[key] = state.value(key, json());
  } else if (const auto log = read_text(folder / "log.jsonl")) {
    run["log_history"] = read_log_lines(folder / "log.jsonl", *log);
    for (const char* key : {"best_global_step", "best_metric", "best_model_checkpoint"}) run[key] = nullptr;
  } else {
    throw ReportError(folder.string() + ": no trainer_state.json or log.jsonl; expected the output_dir of a training run");
  }
  const std::optional<std::string> recipe = read_text(folder / "hft_recipe.yaml");
  run["recipe_yaml"] = recipe ? json(*recipe) : json();
  run["metric_for_best_model"] = best_metric_name(recipe);
  run["train_results"] = read_json_or_null(folder / "train_results.json");
  run["eval_results"] = read_json_or_null(folder / "eval_results.json");
  run["data_statistics"] = read_json_or_null(folder / kDataStatisticsFile);
  run["classification_report"] = read_json_or_null(folder / kClassificationReportFile);
  return run;
}

// The folder's own name ("run" of out/run/), with " (2)", " (3)" after names seen before.
std::vector<std::string> run_names(const std::vector<std::string>& folders) {
  std::vector<std::string> names;
  std::map<std::string, int> seen;
  for (const std::string& folder : folders) {
    const fs::path path = fs::path(folder).lexically_normal();
    std::string name = (path.has_filename() ? path.filename() : path.parent_path().filename()).string();
    if (name.empty() || name == ".") name = fs::absolute(path).lexically_normal().filename().string();
    const int count = ++seen[name];
    names.push_back(count == 1 ? name : name + " (" + std::to_string(count) + ")");
  }
  return names;
}

}  // namespace

json report_data(const std::vector<std::string>& folders) {
  json runs = json::array();
  const std::vector<std::string> names = run_names(folders);
  for (size_t i = 0; i < folders.size(); ++i) {
    if (!fs::is_directory(folders[i])) throw ReportError(folders[i] + ": no such folder; expected the output_dir of a training run");
    runs.push_back(read_run(folders[i], names[i]));
  }
  return {{"generator", std::string("hft ") + HFT_VERSION}, {"runs", std::move(runs)}};
}

}  // namespace hft::report
