// A training run's checkpoints: writing checkpoint-N (model, optimizer, RNG and loop state,
// recipe; atomically, with a manifest), choosing the one to resume from, and loading the best
// model at the end.
#pragma once

#include <torch/optim/optimizer.h>

#include <optional>
#include <string>
#include <vector>

#include "hft/config/recipe.h"         // Recipe, TrainingArguments
#include "hft/train/run_setup.h"       // RunSetup
#include "hft/train/training_loop.h"   // LoopProgress

namespace hft::train {

// Writes checkpoint-<global_step> under output_dir, records it as the best one when it is, and
// rotates older ones (save_total_limit). `generator_states_by_rank`: element r is rank r's
// generator_states().
void save_checkpoint(RunSetup& s, const config::Recipe& recipe, const std::string& recipe_yaml,
                     torch::optim::Optimizer& optimizer, LoopProgress& progress,
                     const std::vector<torch::Tensor>& generator_states_by_rank, const RunHooks& hooks);

// What writing checkpoint-<global_step> records in the state (best_model_checkpoint when it is the
// best): the ranks that do not write a checkpoint keep the same state.
void record_checkpoint(TrainerState& state, const config::TrainingArguments& args);

// The checkpoint folder resume_from_checkpoint names (the newest complete one for `true`);
// nullopt when not resuming. Throws CheckpointError when there is none or it is incomplete.
std::optional<std::string> checkpoint_to_resume(const config::TrainingArguments& args);

// load_best_model_at_end: the weights of the best checkpoint replace the last ones.
void load_best_model(RunSetup& s, const TrainerState& state, const RunHooks& hooks);

}  // namespace hft::train
