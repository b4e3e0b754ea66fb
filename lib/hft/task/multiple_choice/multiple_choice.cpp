#include "hft/task/multiple_choice/multiple_choice.h"

#include "hft/task/label_smoothing.h"                              // smoothed_loss
#include "hft/task/multiple_choice/choice_encoding.h"              // encode_choices
#include "hft/task/text_classification/classification_metrics.h"  // classification_accumulator
#include "hft/task/text_classification/prediction_file.h"         // write_classification_predictions

namespace hft::task {
namespace {

ChoiceColumns choice_columns(const config::DataArguments& d) {
  return {d.context_column_name, d.question_column_name, d.ending_column_names, d.label_column_name.value_or("label")};
}

std::optional<data::EncodedDataset> encoded(const std::optional<std::string>& file, const config::DataArguments& d,
                                            bool labels_required, std::optional<int64_t> max_samples,
                                            const tokenize::Tokenizer& tokenizer) {
  if (!file) return std::nullopt;
  ChoiceExamples examples = read_choice_examples(*file, choice_columns(d), labels_required);
  if (max_samples) examples.keep_first(*max_samples);
  data::EncodeSettings settings;
  settings.max_seq_length = d.max_seq_length;
  return encode_choices(examples, tokenizer, data::effective_max_length(tokenizer, settings), 0);
}

}  // namespace

// The labels are the choice indices "0".."N-1" (N: ending_column_names), whatever the model's config says.
data::Splits MultipleChoice::load_data(const config::Recipe& recipe, RunKind kind, const tokenize::Tokenizer& tokenizer,
                                       const std::string&) const {
  const config::DataArguments& d = recipe.data;
  data::Splits splits;
  std::vector<std::string> names;
  for (size_t i = 0; i < d.ending_column_names.size(); ++i) names.push_back(std::to_string(i));
  splits.labels = data::label_space_of_names(names);
  const bool statistics = kind == RunKind::kStatistics;  // every split
  if (kind == RunKind::kTrain || statistics) splits.train = encoded(d.train_file, d, true, d.max_train_samples, tokenizer);
  if (kind != RunKind::kPredict) splits.validation = encoded(d.validation_file, d, true, d.max_eval_samples, tokenizer);
  if (kind == RunKind::kPredict || statistics)
    splits.test = encoded(d.test_file, d, false, d.max_predict_samples, tokenizer);
  return splits;
}

model::PretrainedModel MultipleChoice::load_model(const std::string& weights_dir, const data::LabelSpace&,
                                                  const std::optional<std::string>& config_dir,
                                                  bool ignore_mismatched_sizes) const {
  return load_with_head(weights_dir, model::Head::kMultipleChoice, config_dir, ignore_mismatched_sizes);
}

// One score per choice: any number of choices fits the head.
void MultipleChoice::check_labels_fit(const model::ModelConfig&, const data::LabelSpace&, const std::string&) const {}

data::Batch MultipleChoice::collate(const data::EncodedDataset& split, std::span<const int64_t> rows,
                                    const data::CollatorOptions& padding) const {
  return data::collate_choices(split, rows, padding);
}

torch::Tensor MultipleChoice::training_loss(const model::ModelOutput& out, const data::Batch& batch,
                                            double labels_in_step, double label_smoothing) const {
  return smoothed_loss(out, batch, labels_in_step, label_smoothing);
}

// Logits [B, N] and labels [B]: text classification's statistics, accuracy as run_swag computes it.
std::unique_ptr<eval::MetricAccumulator> MultipleChoice::new_metrics(const config::Recipe&,
                                                                     const data::LabelSpace& labels) const {
  ClassificationMetricOptions options;
  options.num_labels = labels.num_labels();
  options.metric_names = {"accuracy"};
  return classification_accumulator(options);
}

int64_t MultipleChoice::output_width(const data::LabelSpace&, const data::EncodedDataset& split) const {
  return split.sequences_per_row;
}

// The chosen index and each choice's probability (softmax over the choices' scores).
std::vector<std::string> MultipleChoice::write_predictions(const std::string& path, const torch::Tensor& outputs,
                                                           const data::LabelSpace& labels, const data::EncodedDataset&,
                                                           const config::Recipe&) const {
  write_classification_predictions(path, outputs, labels.names, /*regression=*/false);
  return {};
}

}  // namespace hft::task
