// YAML recipe + command-line overrides -> a validated Recipe. The one entry point of config/.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hft/config/config_error.h"  // ConfigErrors, Origin
#include "hft/config/hub_cache.h"     // Getenv
#include "hft/config/recipe.h"        // Recipe

namespace hft::config {

// What the recipe is loaded for: the verb sets do_train / do_eval / do_predict.
enum class Verb { kValidate, kTrain, kEvaluate, kPredict };

struct LoadedRecipe {
  Recipe recipe;
  std::string path;                       // the recipe file
  std::map<std::string, Origin> origins;  // key -> where its value came from; absent: the default
  std::vector<std::string> warnings;      // one line each: deprecated keys and the like

  Origin origin_of(const std::string& key) const;
};

// The process environment (std::getenv).
Getenv process_environment();

// Reads, overrides, resolves and validates. Throws ConfigErrors with every mistake found.
// `getenv` locates the Hugging Face cache for hub ids. A model found nowhere is an error, except
// for kValidate, which warns and leaves its folder empty.
LoadedRecipe load_recipe(const std::string& path, const std::vector<std::string>& overrides, Verb verb,
                         const Getenv& getenv = process_environment());

}  // namespace hft::config
