// A task: what the Trainer needs from one kind of fine-tuning (text classification now; token
// classification, multiple choice, text generation next), named by the transformers pipeline
// name in the recipe's `task` key. The Trainer, the loops, checkpointing and data parallelism
// know only this interface; each task lives in its own folder and is one line in registry.cpp.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hft/config/recipe.h"            // Recipe
#include "hft/data/batch.h"               // Batch
#include "hft/data/collator.h"            // CollatorOptions
#include "hft/data/encoded_dataset.h"     // EncodedDataset
#include "hft/data/splits.h"              // Splits, LabelSpace
#include "hft/eval/metric_accumulator.h"  // MetricAccumulator
#include "hft/model/pretrained.h"         // PretrainedModel, ModelConfig
#include "hft/model/task_model.h"         // ModelOutput
#include "hft/tokenize/load.h"            // LoadOptions
#include "hft/tokenize/tokenizer.h"       // Tokenizer

namespace hft::task {

// Which run the data is read for: the splits it reads and where their labels come from.
// kStatistics: what `hft validate` shows: every split the recipe names, labels as training takes
// them, without the checks a run makes of its metrics.
enum class RunKind { kTrain, kEvaluate, kPredict, kStatistics };

// What generating predictions needs: the model in eval mode on its device, its folder (for
// generation_config.json), the tokenizer and the recipe (test_file, the generation keys).
struct GenerationRun {
  const std::string& path;
  model::TaskModel& model;
  const std::string& model_dir;
  const tokenize::Tokenizer& tokenizer;
  const std::string& tokenizer_dir;
  const config::Recipe& recipe;
};

class Task {
 public:
  virtual ~Task() = default;

  // How the tokenizer is loaded for this task (run_ner.py: byte-level BPE with add_prefix_space).
  virtual tokenize::LoadOptions tokenizer_options() const { return {}; }

  // The splits a run of `kind` reads, tokenized, their labels decided (training: from the data;
  // evaluation and prediction: from the model, as the example scripts map them). Bad input
  // throws here, before anything is written; what deserves a warning goes to Splits::warnings.
  virtual data::Splits load_data(const config::Recipe& recipe, RunKind kind, const tokenize::Tokenizer& tokenizer,
                                 const std::string& cache_dir) const = 0;

  // The network with this task's head from `weights_dir`, the head sized for `labels`;
  // `config_dir` replaces the weights' own config.json (config_name); with
  // `ignore_mismatched_sizes`, tensors of another shape are drawn anew.
  virtual model::PretrainedModel load_model(const std::string& weights_dir, const data::LabelSpace& labels,
                                            const std::optional<std::string>& config_dir,
                                            bool ignore_mismatched_sizes) const = 0;

  // Throws ModelError when the model's config cannot take these labels (read from `label_file`).
  virtual void check_labels_fit(const model::ModelConfig& config, const data::LabelSpace& labels,
                                const std::string& label_file) const = 0;

  // The collator: rows of a split -> one padded batch on the CPU (loader threads call it).
  virtual data::Batch collate(const data::EncodedDataset& split, std::span<const int64_t> rows,
                              const data::CollatorOptions& padding) const = 0;

  // The loss the optimizer steps on, for one micro-batch: the model's own, or with
  // `label_smoothing` the Trainer's LabelSmoother; `labels_in_step` is the label_count of every
  // micro-batch of the optimizer step together (the micro-batches add up to the step's mean).
  virtual torch::Tensor training_loss(const model::ModelOutput& out, const data::Batch& batch, double labels_in_step,
                                      double label_smoothing) const = 0;

  // Fresh metrics for one evaluation of a split with `labels`.
  virtual std::unique_ptr<eval::MetricAccumulator> new_metrics(const config::Recipe& recipe,
                                                               const data::LabelSpace& labels) const = 0;

  // Columns of one row's output as prediction keeps it ([rows, width]) for the rows of `split`.
  virtual int64_t output_width(const data::LabelSpace& labels, const data::EncodedDataset& split) const = 0;

  // What prediction keeps of a batch's output, [B, width] (`width`: output_width): the logits
  // unless the task says otherwise.
  virtual torch::Tensor prediction_outputs(const model::ModelOutput& out, const data::Batch& /*batch*/,
                                           int64_t /*width*/) const {
    return out.logits;
  }

  // One line per row of `split` (the test split, read from recipe.data.test_file) into `path`
  // (.tsv or .jsonl, is_prediction_file), written atomically. Returns lines for the user (what was
  // left out), empty when there is nothing to say.
  virtual std::vector<std::string> write_predictions(const std::string& path, const torch::Tensor& outputs,
                                                     const data::LabelSpace& labels, const data::EncodedDataset& split,
                                                     const config::Recipe& recipe) const = 0;

  // A task whose predictions are generated text (text-generation): `hft predict` calls this
  // instead of one forward pass per batch, and it writes `path` itself. nullopt: not such a task.
  // Else lines for the user, as write_predictions returns them.
  virtual std::optional<std::vector<std::string>> generate_predictions(const GenerationRun& /*run*/) const {
    return std::nullopt;
  }
};

// The file of each split a run of `kind` reads: training its train and validation files,
// evaluation the validation file, prediction the test file, statistics all three.
struct SplitFiles {
  std::optional<std::string> train, validation, test;
};
SplitFiles split_files(const config::DataArguments& data, RunKind kind);

// A model whose head is sized by its task alone (token tags, choices, the vocabulary), as a
// Task::load_model that needs no more of the labels.
model::PretrainedModel load_with_head(const std::string& weights_dir, model::Head head,
                                      const std::optional<std::string>& config_dir, bool ignore_mismatched_sizes);

// True for the file types predictions are written as: .tsv and .jsonl.
bool is_prediction_file(const std::string& path);

}  // namespace hft::task
