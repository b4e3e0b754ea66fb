#include "hft/task/task.h"

#include <filesystem>

namespace hft::task {

SplitFiles split_files(const config::DataArguments& d, RunKind kind) {
  if (kind == RunKind::kEvaluate) return {std::nullopt, d.validation_file, std::nullopt};
  if (kind == RunKind::kPredict) return {std::nullopt, std::nullopt, d.test_file};
  if (kind == RunKind::kStatistics) return {d.train_file, d.validation_file, d.test_file};
  return {d.train_file, d.validation_file, std::nullopt};
}

model::PretrainedModel load_with_head(const std::string& weights_dir, model::Head head,
                                      const std::optional<std::string>& config_dir, bool ignore_mismatched_sizes) {
  model::LoadOptions load;
  load.head = head;
  load.config_dir = config_dir;
  load.ignore_mismatched_sizes = ignore_mismatched_sizes;
  return model::from_pretrained(weights_dir, load);
}

bool is_prediction_file(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  return ext == ".tsv" || ext == ".jsonl";
}

}  // namespace hft::task
