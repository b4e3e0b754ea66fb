#include "hft/train/run_setup.h"

#include <torch/cuda.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "hft/distributed/environment.h"  // process_environment: cuda:LOCAL_RANK
#include "hft/error.h"                    // BadInput
#include "hft/model/adapter_files.h"      // read_adapter_config, load_adapter_weights
#include "hft/model/lora_model.h"         // add_lora
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

namespace {

namespace fs = std::filesystem;

model::LoraOptions lora_options(const config::PeftArguments& p) {
  model::LoraOptions options;
  options.shape = {p.lora_r, p.lora_alpha, p.lora_dropout, p.use_rslora};
  options.target_modules = p.lora_target_modules;
  options.modules_to_save = p.lora_modules_to_save;
  return options;
}

// A local folder by its absolute path (valid from any working directory), a hub id as written.
std::string base_model_name(const config::Recipe& recipe) {
  std::error_code ec;
  const bool hub_id = recipe.model.folders.adapter.empty() && !fs::exists(recipe.model.model_name_or_path, ec);
  return hub_id ? recipe.model.model_name_or_path : fs::absolute(recipe.model.folders.model, ec).lexically_normal().string();
}

// The adapters: new ones as the recipe asks, or those of the adapter folder; then the saved
// tensors (a checkpoint's, the adapter folder's) into them.
void add_adapters(RunSetup& s, const config::Recipe& recipe, const std::optional<std::string>& weights_dir,
                  const RunHooks& hooks) {
  const std::string& adapter_dir = recipe.model.folders.adapter;
  const model::LoraOptions options =
      adapter_dir.empty() ? lora_options(recipe.peft) : model::read_adapter_config(adapter_dir).options;
  s.model.lora = model::add_lora(*s.model.module, options, s.model.config.model_type, s.model.head);
  const std::optional<std::string> saved = weights_dir ? weights_dir : (adapter_dir.empty() ? std::nullopt : std::optional(adapter_dir));
  std::set<std::string> loaded;
  if (saved)
    for (const std::string& name : model::load_adapter_weights(*s.model.module, *saved)) loaded.insert(name);
  auto& fresh = s.model.report.newly_initialized;
  fresh.erase(std::remove_if(fresh.begin(), fresh.end(), [&](const std::string& n) { return loaded.count(n) > 0; }), fresh.end());
  std::map<std::string, torch::Tensor> parameters;
  for (const auto& item : s.model.module->named_parameters()) parameters[item.key()] = item.value();
  for (const std::string& name : fresh)
    if (parameters.count(name) && !parameters[name].requires_grad())
      warn(hooks, name + " is newly initialized and frozen under LoRA (as PEFT leaves it); add its module to "
                         "lora_modules_to_save to train it");
}

// PEFT's print_trainable_parameters, and where the adapters are.
void describe_adapters(const model::PretrainedModel& model, const RunHooks& hooks) {
  double trainable = 0, all = 0;
  for (const auto& p : model.module->parameters()) {
    all += static_cast<double>(p.numel());
    if (p.requires_grad()) trainable += static_cast<double>(p.numel());
  }
  char line[160];
  std::snprintf(line, sizeof line, "trainable params: %.0f || all params: %.0f || trainable%%: %.4f", trainable, all,
                100.0 * trainable / all);
  say(hooks, "LoRA adapters on " + std::to_string(model.lora->adapted.size()) + " modules (r=" +
                 std::to_string(model.lora->options.shape.r) + "); " + line);
}

}  // namespace

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
  s.base_model_name_or_path = base_model_name(recipe);
  const bool adapters = recipe.peft.use_peft || !recipe.model.folders.adapter.empty();
  // A full checkpoint of this run has its own config.json and the head it trained; only the
  // starting model may need a new one. Under LoRA the base model is loaded every time.
  const bool from_base = !weights_dir || adapters;
  const std::optional<std::string> config_dir =
      from_base ? std::optional<std::string>(recipe.model.folders.config) : std::nullopt;
  const std::string weights = from_base ? s.model_dir : *weights_dir;
  s.model = s.task->load_model(weights, s.splits.labels, config_dir, !weights_dir && recipe.model.ignore_mismatched_sizes);
  if (adapters) add_adapters(s, recipe, weights_dir, hooks);  // PEFT draws them after the head, before the Trainer's seed
  torch::manual_seed(static_cast<uint64_t>(recipe.training.seed));
  for (const auto& line : model::describe_load_report(s.model, weights)) say(hooks, line);
  if (s.model.lora) describe_adapters(s.model, hooks);
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
