// What every run (train, evaluate, predict) builds from the recipe before its loop: the task,
// the tokenizer, the data splits, the model with the task's head on its device, and the padding
// the task's collator applies.
#pragma once

#include <optional>
#include <string>

#include "hft/config/recipe.h"       // Recipe
#include "hft/data/collator.h"       // CollatorOptions
#include "hft/data/splits.h"         // Splits
#include "hft/model/pretrained.h"    // PretrainedModel
#include "hft/task/task.h"           // Task, RunKind
#include "hft/tokenize/tokenizer.h"  // Tokenizer
#include "hft/train/run_hooks.h"     // RunHooks

namespace hft::train {

struct RunSetup {
  const task::Task* task = nullptr;  // the recipe's `task`, from task/registry.cpp
  std::string model_dir, tokenizer_dir;
  // What adapter_config.json records as the base of the adapters this run trains: the model
  // folder's absolute path, or the hub id.
  std::string base_model_name_or_path;
  std::optional<tokenize::Tokenizer> tokenizer;
  data::Splits splits;
  model::PretrainedModel model;
  data::CollatorOptions padding;  // pad id and side, lengths: what the task's collator pads with
  torch::Device device = torch::kCPU;
};

void say(const RunHooks& hooks, const std::string& line);
// A warning: hooks.warn, else a "warning: " line through hooks.info.
void warn(const RunHooks& hooks, const std::string& line);

// The task the recipe's `task` key names; BadInput naming the key when there is none (the
// recipe loader has refused such a name already).
const task::Task& task_of(const config::Recipe& recipe);

// Builds everything a run of `kind` needs; bad input fails here, before anything is written. The
// task reads the splits and decides their labels. `weights_dir` replaces model_name_or_path as
// the source of the weights (a resumed run). With LoRA (use_peft, or an adapter folder as
// model_name_or_path) the base model gets the adapters, and the saved ones are loaded into them.
RunSetup set_up(const config::Recipe& recipe, task::RunKind kind, const RunHooks& hooks,
                const std::optional<std::string>& weights_dir = std::nullopt);

}  // namespace hft::train
