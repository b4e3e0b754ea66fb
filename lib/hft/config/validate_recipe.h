// The rules that involve more than one key (those of TrainingArguments, the Trainer and its
// callbacks) and the checks of the paths a recipe names. Each rule adds errors; none throws.
#pragma once

#include <vector>

#include "hft/config/config_error.h"  // ConfigError
#include "hft/config/load_recipe.h"   // LoadedRecipe, Verb

namespace hft::config {

std::vector<ConfigError> check_cross_field_rules(const LoadedRecipe& loaded);
std::vector<ConfigError> check_paths(const LoadedRecipe& loaded, Verb verb);

}  // namespace hft::config
