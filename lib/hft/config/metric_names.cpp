#include "hft/config/metric_names.h"

#include <algorithm>

namespace hft::config {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

std::vector<std::string> glue_task_metrics(const std::string& task) {
  if (task == "cola") return {"matthews_correlation"};
  if (task == "stsb") return {"pearson", "spearmanr"};
  if (task == "mrpc" || task == "qqp") return {"accuracy", "f1"};
  return {"accuracy"};
}

std::vector<std::string> metric_names(const DataArguments& data, bool regression) {
  if (data.task_name) return glue_task_metrics(*data.task_name);
  if (!data.metrics.empty()) return data.metrics;
  return regression ? std::vector<std::string>{"pearson", "spearmanr"} : std::vector<std::string>{"accuracy"};
}

std::vector<std::string> possible_metric_names(const Recipe& recipe) {
  const DataArguments& data = recipe.data;
  if (recipe.model.task == "multiple-choice") return {"accuracy"};
  if (recipe.model.task == "text-generation") return {"perplexity"};  // run_clm.py's, beside loss
  if (recipe.model.task == "token-classification" && data.return_entity_level_metrics)
    return {"overall_precision", "overall_recall", "overall_f1", "overall_accuracy"};
  if (recipe.model.task == "token-classification") return {"precision", "recall", "f1", "accuracy"};
  std::vector<std::string> names = metric_names(data, false);
  for (auto& name : metric_names(data, true))
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  return names;
}

bool possible_entity_metric(const Recipe& recipe, const std::string& metric) {
  if (recipe.model.task != "token-classification" || !recipe.data.return_entity_level_metrics) return false;
  for (const std::string ending : {"_precision", "_recall", "_f1", "_number"})
    if (metric.size() > ending.size() && metric.ends_with(ending)) return true;
  return false;
}

bool reports_metric(const std::vector<std::string>& names, const std::string& metric) {
  const std::string name = metric.rfind("eval_", 0) == 0 ? metric.substr(5) : metric;
  for (const char* always : {"loss", "runtime", "samples_per_second", "steps_per_second"})
    if (name == always) return true;
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::optional<std::string> best_metric_problem(const Recipe& recipe, bool regression) {
  const auto& metric = recipe.training.metric_for_best_model;
  const std::vector<std::string> names = metric_names(recipe.data, regression);
  if (!metric || reports_metric(names, *metric)) return std::nullopt;
  return std::string("the labels are ") + (regression ? "numbers (regression)" : "classes") +
         ", whose evaluation computes " + joined(names) + ", not metric_for_best_model " + *metric +
         "; expected metric_for_best_model: loss or " + joined(names) +
         " (or task_name or metrics naming the metrics to compute)";
}

}  // namespace hft::config
