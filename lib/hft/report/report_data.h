// What a report shows of training runs, read from their output folders into one JSON document
// (the page's data; assets/report.js draws it). Per run: trainer_state.json's log_history and
// best checkpoint, the *_results.json files, hft_recipe.yaml, and the files a run writes for the
// report: data_statistics.json and eval_classification_report.json.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace hft::report {

// The files a run writes for its report, beside trainer_state.json.
inline constexpr const char* kDataStatisticsFile = "data_statistics.json";
inline constexpr const char* kClassificationReportFile = "eval_classification_report.json";

// {"generator": "hft <version>", "runs": [{"name", "folder", "log_history", "best_global_step", "best_metric",
// "best_model_checkpoint", "metric_for_best_model", "train_results", "eval_results",
// "recipe_yaml", "data_statistics", "classification_report"}, ...]}: absent files are null.
// Throws ReportError when a folder holds neither trainer_state.json nor log.jsonl, or a file
// there is not valid JSON.
nlohmann::json report_data(const std::vector<std::string>& folders);

}  // namespace hft::report
