#include "hft/train/run_setup.h"

#include <torch/cuda.h>

#include "hft/distributed/environment.h"  // process_environment: cuda:LOCAL_RANK
#include "hft/error.h"                    // BadInput
#include "hft/task/registry.h"            // find_task
#include "hft/tokenize/load.h"            // tokenize::load
#include "hft/train/mixed_precision.h"    // apply_tf32
#include "hft/train/run_checks.h"         // check_model_fits_inputs

namespace hft::train {

void say(const RunHooks& hooks, const std::string& line) {
  if (hooks.info) hooks.info(line);
}

void warn(const RunHooks& hooks, const std::string& line) {
  if (hooks.warn) hooks.warn(line);
  else say(hooks, "warning: " + line);
}

const task::Task& task_of(const config::Recipe& recipe) {
  const task::Task* task = task::find_task(recipe.model.task);
  if (!task) throw BadInput("task: `" + recipe.model.task + "` is not a task hft has");
  return *task;
}

RunSetup set_up(const config::Recipe& recipe, task::RunKind kind, const RunHooks& hooks,
                const std::optional<std::string>& weights_dir) {
  const bool training = kind == task::RunKind::kTrain;
  RunSetup s;
  s.task = &task_of(recipe);
  s.model_dir = recipe.model.folders.model;  // a local folder, or a hub id's snapshot in the cache
  s.tokenizer_dir = recipe.model.folders.tokenizer;
  s.tokenizer.emplace(tokenize::load(s.tokenizer_dir, s.task->tokenizer_options()));
  s.splits = s.task->load_data(recipe, kind, *s.tokenizer, hooks.cache_dir);
  for (const std::string& line : s.splits.warnings) warn(hooks, line);
  // As the example script and the Trainer: the seed is set before loading (the new head's
  // weights are the first numbers drawn from it) and again when the Trainer is built.
  torch::manual_seed(static_cast<uint64_t>(recipe.training.seed));
  const std::optional<std::string> config_dir =
      weights_dir ? std::nullopt : std::optional<std::string>(recipe.model.folders.config);  // a checkpoint has its own config.json
  const std::string weights = weights_dir.value_or(s.model_dir);
  // A checkpoint of this run has the head it trained; only the starting model may need a new one.
  s.model = s.task->load_model(weights, s.splits.labels, config_dir, !weights_dir && recipe.model.ignore_mismatched_sizes);
  torch::manual_seed(static_cast<uint64_t>(recipe.training.seed));
  for (const auto& line : model::describe_load_report(s.model, weights)) say(hooks, line);
  const auto& args = recipe.training;
  const auto gpu = static_cast<c10::DeviceIndex>(distributed::process_environment().local_rank);  // one process per GPU
  s.device = !args.use_cpu && torch::cuda::is_available() ? torch::Device(torch::kCUDA, gpu) : torch::Device(torch::kCPU);
  s.model.module->to(s.device);
  s.model.module->set_activation_recomputation(training && args.activation_checkpointing.value_or(false));
  apply_tf32(args.tf32, s.device.type());
  s.padding = data::collator_options(*s.tokenizer, recipe.data.max_seq_length, recipe.data.pad_to_max_length, args.fp16,
                                     /*token_type_ids=*/true);
  check_model_fits_inputs(s, recipe);  // the tokenizer's ids, the rows and the labels fit the model
  return s;
}

}  // namespace hft::train
