// The resolved recipe, printed back: as YAML that hft loads again (output_dir/hft_recipe.yaml,
// `hft validate`), annotated with where each value came from, or as JSON for tools and tests.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "hft/config/load_recipe.h"  // LoadedRecipe

namespace hft::config {

// Every key with its value; with `annotate`, a comment per line naming the source
// ("# default", "# file recipe.yaml:4:1", "# command line `--seed=3`", "# derived").
std::string format_recipe_yaml(const LoadedRecipe& loaded, bool annotate);

// {key: {"value": ..., "default": ..., "source": "default|file|command line|derived", "where": ...}}
nlohmann::json format_recipe_json(const LoadedRecipe& loaded);

// Every key with its value as one line of text, as trackers take parameters (MLflow): strings as
// they are, null as None and booleans as True/False (as the Trainer logs Python values), the rest
// as JSON.
std::vector<std::pair<std::string, std::string>> recipe_params(const LoadedRecipe& loaded);

}  // namespace hft::config
