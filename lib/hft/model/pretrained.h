// from_pretrained / save_pretrained: a Hugging Face model folder in, the same network out, and
// back to a folder that transformers' from_pretrained loads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hft/model/architecture.h"         // Architecture
#include "hft/model/head.h"                 // Head
#include "hft/model/lora_model.h"           // LoraPlacement
#include "hft/model/model_config.h"         // ModelConfig
#include "hft/model/task_model.h"  // TaskModel

namespace hft::model {

// What loading the weights found, as transformers reports it.
struct LoadReport {
  std::vector<std::string> newly_initialized;  // model parameters the checkpoint lacks (a new head)
  std::vector<std::string> unused;             // checkpoint tensors the model has no place for
  std::vector<std::string> mismatched;         // "name: [3, 32] in the checkpoint, [1, 32] in the model":
                                               // drawn anew (ignore_mismatched_sizes), so also newly_initialized
};

struct PretrainedModel {
  ModelConfig config;
  const Architecture* architecture = nullptr;
  Head head = Head::kSequenceClassification;  // the head `module` carries
  std::shared_ptr<TaskModel> module;
  LoadReport report;
  std::optional<LoraPlacement> lora;  // set when the module carries LoRA adapters
};

struct LoadOptions {
  std::optional<std::vector<std::string>> labels;  // the data's label names; sizes the head
  std::optional<std::string> problem_type;         // set when the data decides it
  std::optional<std::string> config_dir;           // config.json from here, not the weights' folder (config_name)
  Head head = Head::kSequenceClassification;       // the task's head; multiple choice has one score per choice
                                                   // whatever the labels
  bool ignore_mismatched_sizes = false;            // transformers' argument: a checkpoint tensor of another shape
                                                   // (a head for other labels or another task) is drawn anew from
                                                   // the seed instead of refused
};

// Reads DIR/config.json (or options.config_dir's) and the weights, preferring safetensors as transformers does
// (model.safetensors, the shards of model.safetensors.index.json, then pytorch_model.bin or the
// shards of pytorch_model.bin.index.json), builds the architecture for model_type and loads the
// weights into it (a checkpoint of the bare backbone fits under the architecture's prefix).
// Weights stored in bf16/fp16 are upcast into the fp32 parameters. A tensor whose shape differs
// from the config's throws ModelError naming it, expected and found (without
// ignore_mismatched_sizes). What the checkpoint lacks is drawn from the default generator as
// transformers draws it.
PretrainedModel from_pretrained(const std::string& dir, const LoadOptions& options = {});

// config.json (architectures, id2label, label2id, problem_type), a decoder's
// generation_config.json and the tokenizer files found in `tokenizer_dir` (when given): what a
// model folder holds besides its weights. Files are written atomically.
void save_beside_weights(const PretrainedModel& model, const std::string& dir, const std::string& tokenizer_dir = "");

// Writes config.json (architectures, id2label, label2id, problem_type) and model.safetensors
// into `dir`, and copies the tokenizer files found in `tokenizer_dir` (when given), so the
// folder is a complete model. Files are written atomically.
void save_pretrained(const PretrainedModel& model, const std::string& dir, const std::string& tokenizer_dir = "");

// The "Some weights ... newly initialized" / "not used" lines transformers prints; empty when clean.
std::vector<std::string> describe_load_report(const PretrainedModel& model, const std::string& dir);

}  // namespace hft::model
