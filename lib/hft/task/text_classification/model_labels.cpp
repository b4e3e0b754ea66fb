#include "hft/task/text_classification/model_labels.h"

#include <algorithm>

#include "hft/data/data_error.h"    // DataError: a validation file without labels
#include "hft/model/model_error.h"  // ModelError

namespace hft::task {
namespace {

// The model's own labels (config_name's config.json).
data::LabelSpace labels_of_model(const std::string& config_dir) {
  const model::ModelConfig config = model::read_model_config(config_dir);
  data::LabelSpace labels = data::label_space_of_names(config.labels);
  labels.regression = config.problem_type == "regression" || config.num_labels() == 1;
  labels.multi_label = config.problem_type == "multi_label_classification";
  return labels;
}

// LABEL_0, LABEL_1, ...: the names transformers gives labels nobody named
// (PretrainedConfig(num_labels=n).label2id).
bool default_label_names(const std::vector<std::string>& names) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] != "LABEL_" + std::to_string(i)) return false;
  return true;
}

}  // namespace

// Both map labels as run_glue does: by the model's label2id, unless those are the default LABEL_i
// names; then by the data's own sorted labels, from train_file when the recipe names one
// (run_glue always reads it), else from the split itself (when it labels any row; else the
// model's names stay).
void use_model_labels(data::SplitsOptions& options, const config::Recipe& recipe, bool predicting) {
  const std::optional<std::string> train_file = options.train_file;
  options.train_file.reset();
  (predicting ? options.validation_file : options.test_file).reset();
  options.labels = labels_of_model(recipe.model.folders.config);
  options.data_labels_first = !options.labels->regression && default_label_names(options.labels->names);
  if (options.data_labels_first) options.label_file = train_file;
}

void check_labelled_rows(const data::EncodedDataset& split, const std::string& file, bool metrics_needed,
                         std::vector<std::string>& warnings) {
  const auto unlabelled = !split.has_labels ? split.size()
                                            : std::count(split.label_ids.begin(), split.label_ids.end(), int64_t{-1});
  if (unlabelled == split.size() && metrics_needed)
    throw data::DataError(file, 0, "no row has a label (" +
                                       std::string(split.has_labels ? "every label is -1" : "no label column") +
                                       "); expected a validation_file with labels to evaluate on");
  if (unlabelled > 0 && unlabelled < split.size())
    warnings.push_back(file + ": " + std::to_string(unlabelled) + " of " + std::to_string(split.size()) +
                       " rows are unlabelled (label -1); the loss and the metrics leave them out");
}

void check_problem_type(const model::ModelConfig& config, const data::LabelSpace& labels, const std::string& label_file) {
  const auto written = config.document.find("problem_type");
  if (written == config.document.end() || !written->is_string()) return;
  const std::string problem_type = written->get<std::string>();
  const std::string fits = labels.regression    ? "regression"
                           : labels.multi_label ? "multi_label_classification"
                                                : "single_label_classification";
  if (problem_type == fits) return;
  const std::string kind = labels.regression    ? "numbers (regression)"
                           : labels.multi_label ? "lists of labels (multi-label)"
                                                : std::to_string(labels.names.size()) + " classes, one per row";
  throw model::ModelError(config.path + ": problem_type: `" + problem_type + "`, but the labels of " + label_file +
                          " are " + kind + "; expected problem_type: " + fits + ", or none (the labels decide)");
}

}  // namespace hft::task
