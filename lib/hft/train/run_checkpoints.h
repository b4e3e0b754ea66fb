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
#include "hft/train/training_loop.h"   // SavedProgress
#include "hft/train/run_hooks.h"       // RunHooks

namespace hft::train {

// Writes checkpoint-<global_step> under output_dir, records it as the best one when it is, and
// rotates older ones (save_total_limit), warning about each checkpoint-N folder rotation leaves
// alone. `generator_states_by_rank`: element r is rank r's generator_states(). A failed write
// (a full disk) throws std::runtime_error naming the folder; the earlier checkpoints stay.
void write_checkpoint(RunSetup& s, const config::Recipe& recipe, const std::string& recipe_yaml,
                     torch::optim::Optimizer& optimizer, SavedProgress& progress,
                     const std::vector<torch::Tensor>& generator_states_by_rank, const RunHooks& hooks);

// What writing checkpoint-<global_step> records in the state (best_model_checkpoint when it is the
// best): the ranks that do not write a checkpoint keep the same state.
void record_checkpoint(TrainerState& state, const config::TrainingArguments& args);

// What keeps `folder` from being resumed from (incomplete, damaged, of the wrong types, saved
// with save_only_model; with `adapters`, one of a full model where LoRA adapters are expected or
// the other way round), or nullopt.
std::optional<std::string> resume_problem(const std::string& folder, bool adapters = false);

// The checkpoint folder resume_from_checkpoint names; nullopt when not resuming. For `true`, the
// newest usable one in output_dir, warning about each newer one passed over, and nullopt (a
// run from scratch, said in one line) when there is none yet: a preempted job that had not
// saved starts again. A named folder that cannot be resumed from throws CheckpointError.
// `adapters`: the run trains LoRA adapters, whose checkpoints hold them instead of the model.
std::optional<std::string> checkpoint_to_resume(const config::TrainingArguments& args, const RunHooks& hooks = {},
                                                bool adapters = false);

// load_best_model_at_end: the task's model from the best checkpoint replaces the last one.
void load_best_model(RunSetup& s, const TrainerState& state, const RunHooks& hooks);

}  // namespace hft::train
