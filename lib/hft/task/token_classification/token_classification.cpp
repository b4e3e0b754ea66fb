#include "hft/task/token_classification/token_classification.h"

#include <torch/torch.h>

#include "hft/data/data_error.h"                                   // DataError
#include "hft/model/model_config.h"                                // read_model_config
#include "hft/task/label_smoothing.h"                              // smoothed_loss
#include "hft/task/token_classification/tag_labels.h"              // tag_label_space, tag_ids, b_to_i_labels
#include "hft/task/token_classification/tagged_encoding.h"         // encode_tagged
#include "hft/task/token_classification/tagged_prediction_file.h"  // write_tagged_predictions
#include "hft/task/token_classification/tagging_metrics.h"         // tagging_accumulator

namespace hft::task {
namespace {

std::optional<TaggedSentences> read_split(const std::optional<std::string>& file, const SentenceColumns& columns,
                                          bool tags_required, std::optional<int64_t> max_samples) {
  if (!file) return std::nullopt;
  TaggedSentences sentences = read_tagged_sentences(*file, columns, tags_required);
  if (max_samples) sentences.keep_first(*max_samples);
  return sentences;
}

SentenceColumns sentence_columns(const config::DataArguments& d) { return {d.text_column_name, d.label_column_name}; }

// Training (and statistics of a recipe with a train_file): the training tags, in the model's
// order when it knows them (run_ner). Evaluation and prediction: the model's labels, unless they
// are the default LABEL_i names; then the tags of train_file when the recipe names one, else of
// the split itself.
data::LabelSpace labels_for(const config::Recipe& recipe, const std::optional<TaggedSentences>& train,
                            const TaggedSentences& split, std::string& label_file) {
  const std::vector<std::string> model_labels = model::read_model_config(recipe.model.folders.config).labels;
  if (train) {
    label_file = train->file;
    return tag_label_space(*train, model_labels);
  }
  label_file = recipe.model.folders.config + "/config.json";
  if (!default_label_names(model_labels)) return data::label_space_of_names(model_labels);
  if (recipe.data.train_file) {
    label_file = *recipe.data.train_file;
    return tag_label_space(read_tagged_sentences(*recipe.data.train_file, sentence_columns(recipe.data), true), {});
  }
  if (!split.has_tags) return data::label_space_of_names(model_labels);
  label_file = split.file;
  return tag_label_space(split, {});
}

}  // namespace

tokenize::LoadOptions TokenClassification::tokenizer_options() const {
  tokenize::LoadOptions options;
  options.add_prefix_space = true;  // run_ner.py: byte-level BPE tokenizers need it for pre-split words
  return options;
}

data::Splits TokenClassification::load_data(const config::Recipe& recipe, RunKind kind,
                                            const tokenize::Tokenizer& tokenizer, const std::string&) const {
  const config::DataArguments& d = recipe.data;
  const SplitFiles files = split_files(d, kind);
  const SentenceColumns columns = sentence_columns(d);
  // run_ner takes the labels from every training sentence, before max_train_samples.
  std::optional<TaggedSentences> train = read_split(files.train, columns, true, std::nullopt);
  const std::optional<TaggedSentences> validation = read_split(files.validation, columns, true, d.max_eval_samples);
  const std::optional<TaggedSentences> test = read_split(files.test, columns, false, d.max_predict_samples);
  const TaggedSentences& first = train ? *train : validation ? *validation : *test;
  std::string label_file;
  data::Splits splits;
  splits.labels = labels_for(recipe, train, first, label_file);
  if (train && d.max_train_samples) train->keep_first(*d.max_train_samples);
  TagAlignment alignment{d.label_all_tokens, b_to_i_labels(splits.labels.names)};
  data::EncodeSettings settings;
  settings.max_seq_length = d.max_seq_length;
  const int64_t max_length = data::effective_max_length(tokenizer, settings);
  auto encode = [&](const std::optional<TaggedSentences>& sentences) -> std::optional<data::EncodedDataset> {
    if (!sentences) return std::nullopt;
    if (!sentences->has_tags) return encode_tagged(*sentences, nullptr, tokenizer, max_length, alignment, 0);
    const std::vector<std::vector<int32_t>> ids = tag_ids(*sentences, splits.labels, label_file);
    return encode_tagged(*sentences, &ids, tokenizer, max_length, alignment, 0);
  };
  splits.train = encode(train);
  splits.validation = encode(validation);
  splits.test = encode(test);
  return splits;
}

model::PretrainedModel TokenClassification::load_model(const std::string& weights_dir, const data::LabelSpace& labels,
                                                       const std::optional<std::string>& config_dir,
                                                       bool ignore_mismatched_sizes) const {
  model::LoadOptions load;
  load.labels = labels.names;
  load.head = model::Head::kTokenClassification;
  load.config_dir = config_dir;
  load.ignore_mismatched_sizes = ignore_mismatched_sizes;
  return model::from_pretrained(weights_dir, load);
}

// The labels come from the model itself (evaluation) or size a new head (training): always a fit.
void TokenClassification::check_labels_fit(const model::ModelConfig&, const data::LabelSpace&, const std::string&) const {}

data::Batch TokenClassification::collate(const data::EncodedDataset& split, std::span<const int64_t> rows,
                                         const data::CollatorOptions& padding) const {
  return data::collate(split, rows, padding);  // DataCollatorForTokenClassification: labels padded with -100
}

torch::Tensor TokenClassification::training_loss(const model::ModelOutput& out, const data::Batch& batch,
                                                 double labels_in_step, double label_smoothing) const {
  return smoothed_loss(out, batch, labels_in_step, label_smoothing);
}

std::unique_ptr<eval::MetricAccumulator> TokenClassification::new_metrics(const config::Recipe& recipe,
                                                                          const data::LabelSpace& labels) const {
  return tagging_accumulator({labels.names, recipe.data.return_entity_level_metrics});
}

int64_t TokenClassification::output_width(const data::LabelSpace&, const data::EncodedDataset& split) const {
  return split.longest_sequence();
}

// [B, width]: each token's predicted tag id; -1 past the batch's tokens.
torch::Tensor TokenClassification::prediction_outputs(const model::ModelOutput& out, const data::Batch&,
                                                      int64_t width) const {
  const torch::Tensor tags = out.logits.argmax(-1).to(torch::kFloat32);
  const int64_t length = std::min<int64_t>(tags.size(1), width);  // pad_to_multiple_of may pad past the longest row
  return torch::constant_pad_nd(tags.narrow(1, 0, length), {0, width - length}, -1);
}

std::vector<std::string> TokenClassification::write_predictions(const std::string& path, const torch::Tensor& outputs,
                                                                const data::LabelSpace& labels,
                                                                const data::EncodedDataset& split,
                                                                const config::Recipe& recipe) const {
  const std::optional<TaggedSentences> test =
      read_split(recipe.data.test_file, sentence_columns(recipe.data), false, recipe.data.max_predict_samples);
  const int64_t cut = write_tagged_predictions(path, outputs, split, *test, labels.names);
  if (cut == 0) return {};
  return {std::to_string(cut) + " of " + std::to_string(split.size()) + " sentences were cut at max_seq_length " +
          std::to_string(recipe.data.max_seq_length) + "; their later words have no prediction and are left out"};
}

}  // namespace hft::task
