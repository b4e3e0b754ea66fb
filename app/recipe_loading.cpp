#include "recipe_loading.h"

#include <iostream>

namespace hft::app {

config::LoadedRecipe load_for(const RecipeRequest& request, config::Verb verb) {
  config::LoadedRecipe loaded = config::load_recipe(request.recipe_path, request.overrides, verb);
  for (const auto& warning : loaded.warnings) std::cerr << "warning: " << warning << "\n";
  return loaded;
}

}  // namespace hft::app
