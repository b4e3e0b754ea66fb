// token-classification: a tag per word (named entities, parts of speech), as run_ner.py
// fine-tunes it: words tagged in JSON/CSV lists or CoNLL text, the tags on each word's first
// piece, seqeval's metrics, on every architecture's *ForTokenClassification head.
#pragma once

#include "hft/task/task.h"  // Task

namespace hft::task {

class TokenClassification : public Task {
 public:
  tokenize::LoadOptions tokenizer_options() const override;
  data::Splits load_data(const config::Recipe& recipe, RunKind kind, const tokenize::Tokenizer& tokenizer,
                         const std::string& cache_dir) const override;
  model::PretrainedModel load_model(const std::string& weights_dir, const data::LabelSpace& labels,
                                    const std::optional<std::string>& config_dir,
                                    bool ignore_mismatched_sizes) const override;
  void check_labels_fit(const model::ModelConfig& config, const data::LabelSpace& labels,
                        const std::string& label_file) const override;
  data::Batch collate(const data::EncodedDataset& split, std::span<const int64_t> rows,
                      const data::CollatorOptions& padding) const override;
  torch::Tensor training_loss(const model::ModelOutput& out, const data::Batch& batch, double labels_in_step,
                              double label_smoothing) const override;
  std::unique_ptr<eval::MetricAccumulator> new_metrics(const config::Recipe& recipe,
                                                       const data::LabelSpace& labels) const override;
  int64_t output_width(const data::LabelSpace& labels, const data::EncodedDataset& split) const override;
  torch::Tensor prediction_outputs(const model::ModelOutput& out, const data::Batch& batch, int64_t width) const override;
  std::vector<std::string> write_predictions(const std::string& path, const torch::Tensor& outputs,
                                             const data::LabelSpace& labels, const data::EncodedDataset& split,
                                             const config::Recipe& recipe) const override;
};

}  // namespace hft::task
