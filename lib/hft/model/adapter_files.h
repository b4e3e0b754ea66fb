// PEFT's adapter folder: adapter_config.json (the LoraConfig) and adapter_model.safetensors (the
// tensors that train, named base_model.model.<name>), which PeftModel.from_pretrained(base, dir)
// loads. hft adds config.json (the head's labels) and the tokenizer files beside them, so that
// the folder alone evaluates and predicts.
#pragma once

#include <string>
#include <vector>

#include "hft/model/lora_model.h"  // LoraOptions
#include "hft/model/pretrained.h"  // PretrainedModel

namespace hft::model {

inline constexpr const char* kAdapterConfigFile = "adapter_config.json";
inline constexpr const char* kAdapterWeightsFile = "adapter_model.safetensors";

bool is_adapter_folder(const std::string& dir);

struct AdapterConfig {
  LoraOptions options;                  // as recorded: target_modules, modules_to_save, r, alpha, ...
  std::string base_model_name_or_path;  // the model the adapters were trained on
};

// Throws ModelError naming the file and the key that is missing or not a LoRA adapter's.
AdapterConfig read_adapter_config(const std::string& dir);

// Writes the adapter files of `model` (which carries adapters) and save_beside_weights' files.
void save_adapter(const PretrainedModel& model, const std::string& dir, const std::string& tokenizer_dir,
                  const std::string& base_model_name_or_path);

// The adapters when the model has them, else the whole model (save_pretrained).
void save_trained_model(const PretrainedModel& model, const std::string& dir, const std::string& tokenizer_dir,
                        const std::string& base_model_name_or_path);

// Copies the folder's tensors into the model's adapters and saved modules; returns the parameter
// names it set. Throws ModelError for a tensor the model has no place for or of another shape.
std::vector<std::string> load_adapter_weights(TaskModel& model, const std::string& dir);

}  // namespace hft::model
