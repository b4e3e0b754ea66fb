#include "hft/task/text_classification/text_classification.h"

#include "hft/config/metric_names.h"                                // metric_names, best_metric_problem
#include "hft/data/data_error.h"                                    // DataError
#include "hft/task/label_smoothing.h"                                // smoothed_loss
#include "hft/task/text_classification/classification_metrics.h"   // classification_accumulator
#include "hft/task/text_classification/model_labels.h"             // use_model_labels, check_labelled_rows, check_problem_type
#include "hft/task/text_classification/prediction_file.h"          // write_classification_predictions

namespace hft::task {

data::Splits TextClassification::load_data(const config::Recipe& recipe, RunKind kind, const tokenize::Tokenizer& tokenizer,
                                           const std::string& cache_dir) const {
  const bool training = kind == RunKind::kTrain;
  data::SplitsOptions options = data::splits_options(recipe.data);
  options.cache_dir = cache_dir;
  if (kind == RunKind::kEvaluate || kind == RunKind::kPredict)
    use_model_labels(options, recipe, /*predicting=*/kind == RunKind::kPredict);
  data::Splits splits = data::load_splits(options, tokenizer, recipe.model.folders.tokenizer);
  if (auto problem = config::best_metric_problem(recipe, splits.labels.regression); problem && training)
    throw data::DataError(*recipe.data.train_file, 0, *problem);  // the labels' kind decides the metrics
  if (splits.validation && (kind == RunKind::kEvaluate || (training && recipe.training.do_eval)))
    check_labelled_rows(*splits.validation, *options.validation_file, /*metrics_needed=*/true, splits.warnings);
  if (splits.test && kind == RunKind::kPredict)
    check_labelled_rows(*splits.test, *options.test_file, /*metrics_needed=*/false, splits.warnings);
  return splits;
}

model::PretrainedModel TextClassification::load_model(const std::string& weights_dir, const data::LabelSpace& labels,
                                                      const std::optional<std::string>& config_dir,
                                                      bool ignore_mismatched_sizes) const {
  model::LoadOptions load;
  load.labels = labels.regression ? std::vector<std::string>{"LABEL_0"} : labels.names;
  if (labels.regression) load.problem_type = "regression";
  load.config_dir = config_dir;
  load.ignore_mismatched_sizes = ignore_mismatched_sizes;
  return model::from_pretrained(weights_dir, load);
}

void TextClassification::check_labels_fit(const model::ModelConfig& config, const data::LabelSpace& labels,
                                          const std::string& label_file) const {
  check_problem_type(config, labels, label_file);
}

data::Batch TextClassification::collate(const data::EncodedDataset& split, std::span<const int64_t> rows,
                                        const data::CollatorOptions& padding) const {
  return data::collate(split, rows, padding);  // DataCollatorWithPadding
}

torch::Tensor TextClassification::training_loss(const model::ModelOutput& out, const data::Batch& batch,
                                                double labels_in_step, double label_smoothing) const {
  return smoothed_loss(out, batch, labels_in_step, label_smoothing);
}

std::unique_ptr<eval::MetricAccumulator> TextClassification::new_metrics(const config::Recipe& recipe,
                                                                         const data::LabelSpace& labels) const {
  ClassificationMetricOptions options;
  options.num_labels = labels.num_labels();
  options.regression = labels.regression;
  options.label_names = labels.names;
  options.metric_names = config::metric_names(recipe.data, labels.regression);
  return classification_accumulator(options);
}

int64_t TextClassification::output_width(const data::LabelSpace& labels, const data::EncodedDataset&) const {
  return labels.regression ? 1 : labels.num_labels();
}

std::vector<std::string> TextClassification::write_predictions(const std::string& path, const torch::Tensor& outputs,
                                                               const data::LabelSpace& labels,
                                                               const data::EncodedDataset&, const config::Recipe&) const {
  write_classification_predictions(path, outputs, labels.names, labels.regression);
  return {};
}

}  // namespace hft::task
