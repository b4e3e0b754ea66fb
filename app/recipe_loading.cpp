#include "recipe_loading.h"

#include <torch/cuda.h>

#include <algorithm>
#include <iostream>
#include <thread>

#include "hft/config/device_rules.h"    // check_device_rules
#include "hft/config/no_effect_keys.h"  // no_effect_warnings
#include "hft/task/registry.h"          // find_task, task_names

namespace hft::app {
namespace {

// `task` names a task of task/registry.cpp (the one list of them, so config/ does not keep another).
std::optional<config::ConfigError> unknown_task(const config::LoadedRecipe& loaded) {
  const std::string& name = loaded.recipe.model.task;
  if (task::find_task(name)) return std::nullopt;
  std::string known;
  for (const std::string& task : task::task_names()) known += (known.empty() ? "" : ", ") + task;
  return config::ConfigError{loaded.origin_of("task"), "task", "not a task hft has", name, "one of: " + known};
}

}  // namespace

config::LoadedRecipe load_for(const RecipeRequest& request, config::Verb verb) {
  config::LoadedRecipe loaded = config::load_recipe(request.recipe_path, request.overrides, verb);
  config::Machine machine;
  machine.cpu_run = loaded.recipe.training.use_cpu || !torch::cuda::is_available();  // as run setup picks the device
  machine.cpu_cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<config::ConfigError> errors = config::check_device_rules(loaded, machine);
  if (auto error = unknown_task(loaded)) errors.push_back(std::move(*error));
  if (!errors.empty()) throw config::ConfigErrors(std::move(errors));
  for (std::string& line : config::no_effect_warnings(loaded, verb, machine.cpu_run)) loaded.warnings.push_back(std::move(line));
  for (const auto& warning : loaded.warnings) std::cerr << "warning: " << warning << "\n";
  return loaded;
}

}  // namespace hft::app
