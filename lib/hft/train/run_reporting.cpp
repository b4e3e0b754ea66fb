#include "hft/train/run_reporting.h"

#include <filesystem>

#include "hft/checkpoint/atomic_file.h"  // write_json_atomically
#include "hft/config/reporters.h"        // report_to_names
#include "hft/data/split_stats.h"        // split_stats, to_json
#include "hft/report/report_data.h"      // kDataStatisticsFile
#include "hft/report/report_error.h"     // ReportError
#include "hft/report/report_page.h"      // write_report

namespace hft::train {
namespace {

namespace fs = std::filesystem;

// {"train": ..., "validation": ...}: the splits as this run tokenized them.
nlohmann::json data_statistics(const RunSetup& setup, const config::TrainingArguments& args) {
  nlohmann::json stats = nlohmann::json::object();
  const data::Splits& splits = setup.splits;
  if (splits.train)
    stats["train"] = data::to_json(data::split_stats(*splits.train, splits.labels, args.per_device_train_batch_size, setup.padding));
  if (splits.validation)
    stats["validation"] =
        data::to_json(data::split_stats(*splits.validation, splits.labels, args.per_device_eval_batch_size, setup.padding));
  return stats;
}

}  // namespace

void write_data_statistics(const RunSetup& setup, const config::TrainingArguments& args, const RunHooks& hooks) {
  try {
    checkpoint::write_json_atomically((fs::path(args.output_dir) / report::kDataStatisticsFile).string(),
                                      data_statistics(setup, args));
  } catch (const std::exception& e) {  // only the report misses them
    warn(hooks, std::string("no ") + report::kDataStatisticsFile + ": " + e.what());
  }
}

void write_html_report(const config::TrainingArguments& args, const RunHooks& hooks) {
  if (!args.html_report) return;
  const std::string path = (fs::path(args.output_dir) / "report.html").string();
  try {
    report::write_report({args.output_dir}, path);
    say(hooks, "report written to " + path);
  } catch (const std::exception& e) {  // ReportError, or the file system's
    warn(hooks, std::string("no report.html: ") + e.what());
  }
}

std::shared_ptr<log::MlflowRun> start_mlflow_run(const config::TrainingArguments& args, const ResolvedRecipe& recipe,
                                                 const RunHooks& hooks, bool resuming) {
  const bool wanted = config::report_to_names(args, "mlflow") || (config::report_to_names(args, "all") && hooks.mlflow);
  if (!wanted || !hooks.mlflow) return nullptr;  // validation refused mlflow without a server
  log::MlflowRunOptions options;
  options.settings = *hooks.mlflow;
  options.run_name = args.run_name.value_or(args.output_dir);
  options.record_path = (fs::path(args.output_dir) / "mlflow_run.json").string();
  options.resuming = resuming;
  options.params = recipe.params;
  return std::make_shared<log::MlflowRun>(std::move(options));
}

void finish_mlflow_run(log::MlflowRun& run, const config::TrainingArguments& args, bool completed, const RunHooks& hooks) {
  if (completed) run.log_folder_files(args.output_dir);
  const std::optional<std::string> undelivered = run.finish(completed);
  if (const auto warning = run.take_warning()) warn(hooks, *warning);
  if (undelivered) warn(hooks, *undelivered);
}

}  // namespace hft::train
