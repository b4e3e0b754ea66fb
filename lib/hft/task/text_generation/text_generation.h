// text-generation: supervised fine-tuning of a decoder (GPT-2, Llama, Mistral, Qwen2/3) as TRL's
// SFTTrainer does it: plain text, prompt/completion pairs or conversations (the tokenizer's chat
// template), the next-token loss over the whole optimizer step (num_items_in_batch), packing
// (best fit decreasing, attention kept inside each example), eval_loss and perplexity, and
// `hft predict` generating completions.
#pragma once

#include "hft/task/task.h"  // Task

namespace hft::task {

class TextGeneration : public Task {
 public:
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
  std::vector<std::string> write_predictions(const std::string& path, const torch::Tensor& outputs,
                                             const data::LabelSpace& labels, const data::EncodedDataset& split,
                                             const config::Recipe& recipe) const override;
  std::optional<std::vector<std::string>> generate_predictions(const GenerationRun& run) const override;
};

}  // namespace hft::task
