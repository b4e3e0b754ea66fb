// Loading the recipe for a verb, with its warnings printed: shared by every verb.
#pragma once

#include "hft/config/load_recipe.h"  // LoadedRecipe, Verb
#include "verbs.h"                   // RecipeRequest

namespace hft::app {

// Loads and validates (throwing ConfigErrors), with the rules of this machine's device, adds a
// warning for each key that has no effect on this run, then prints each warning on stderr.
config::LoadedRecipe load_for(const RecipeRequest& request, config::Verb verb);

}  // namespace hft::app
