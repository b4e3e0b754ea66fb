// LoRA on a whole network, set up as PEFT's get_peft_model sets it up: which projections get
// adapters (target_modules), which modules train in full (modules_to_save: always the
// classification head), everything else frozen. Same choices, same draws, same names.
#pragma once

#include <torch/types.h>

#include <string>
#include <utility>
#include <vector>

#include "hft/model/head.h"        // Head
#include "hft/model/lora_layer.h"  // LoraShape
#include "hft/model/task_model.h"  // TaskModel

namespace hft::model {

// LoraConfig as a recipe or adapter_config.json gives it.
struct LoraOptions {
  LoraShape shape;
  // Module names, or the last parts of names ("query" matches "...self.query"), or {"all-linear"}:
  // every projection but the output layer. Empty: PEFT's default for the model type.
  std::vector<std::string> target_modules;
  // Name endings of modules trained in full (PEFT matches them with str.endswith); the
  // classification heads' "classifier" and "score" are added as PEFT's SEQ_CLS/TOKEN_CLS add them.
  std::vector<std::string> modules_to_save;
};

// What add_lora set up; adapter_config.json records it.
struct LoraPlacement {
  LoraOptions options;                      // modules_to_save with the head's names added
  std::string task_type;                    // PEFT's: SEQ_CLS, TOKEN_CLS, CAUSAL_LM; "" for multiple choice
  std::vector<std::string> target_modules;  // as adapter_config.json records them (all-linear: every name)
  std::vector<std::string> adapted;         // modules with an adapter, in module order
};

// Adds adapters (drawn from the default generator in module order, as PEFT draws them) and
// freezes every parameter outside them and the saved modules. Throws ModelError when
// target_modules matches no projection, names a module that is not one, or is empty for a
// model type PEFT has no default for.
LoraPlacement add_lora(TaskModel& model, const LoraOptions& options, const std::string& model_type, Head head);

// The parameters that train, by name (adapters' lora_A/lora_B, the saved modules' weights).
std::vector<std::pair<std::string, torch::Tensor>> trained_parameters(TaskModel& model);

// merge_and_unload: every adapter folded into its projection's weight and removed.
void merge_lora(TaskModel& model);

}  // namespace hft::model
