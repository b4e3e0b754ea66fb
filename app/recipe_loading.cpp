#include "recipe_loading.h"

#include <torch/cuda.h>

#include <algorithm>
#include <iostream>
#include <thread>

#include "hft/config/device_rules.h"    // check_device_rules
#include "hft/config/no_effect_keys.h"  // no_effect_warnings

namespace hft::app {

config::LoadedRecipe load_for(const RecipeRequest& request, config::Verb verb) {
  config::LoadedRecipe loaded = config::load_recipe(request.recipe_path, request.overrides, verb);
  config::Machine machine;
  machine.cpu_run = loaded.recipe.training.use_cpu || !torch::cuda::is_available();  // as run setup picks the device
  machine.cpu_cores = std::max(1u, std::thread::hardware_concurrency());
  if (auto errors = config::check_device_rules(loaded, machine); !errors.empty()) throw config::ConfigErrors(std::move(errors));
  for (std::string& line : config::no_effect_warnings(loaded, verb, machine.cpu_run)) loaded.warnings.push_back(std::move(line));
  for (const auto& warning : loaded.warnings) std::cerr << "warning: " << warning << "\n";
  return loaded;
}

}  // namespace hft::app
