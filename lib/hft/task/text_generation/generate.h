// Generation from a prompt with a causal language model's key/value cache, as transformers'
// generate() does it for one sequence: greedy (argmax), or sampling with temperature, top-k and
// top-p (its logits processors, in that order); stops at an EOS token or after max_new_tokens.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "hft/config/recipe.h"      // Recipe
#include "hft/model/task_model.h"   // TaskModel

namespace hft::task {

struct GenerationSettings {
  int64_t max_new_tokens = 256;
  bool do_sample = false;
  double temperature = 1.0;
  int64_t top_k = 50;
  double top_p = 1.0;
  std::vector<int64_t> eos_token_ids;  // generation stops after any of these
  uint64_t seed = 42;                  // sampling: the generator's seed
};

// The recipe's generation keys, the EOS ids of the model folder's generation_config.json (else
// its config.json), and the recipe's seed.
GenerationSettings generation_settings(const config::Recipe& recipe, const std::string& model_dir);

// The new token ids after `prompt` (EOS included when it was generated). `model` must be a causal
// language model (model::CausalLanguageModel); it is run in eval mode, without gradients.
std::vector<int32_t> generate(model::TaskModel& model, const std::vector<int32_t>& prompt,
                              const GenerationSettings& settings);

}  // namespace hft::task
