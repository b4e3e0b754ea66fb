// The values TrainingArguments.__post_init__ fills in from others (eval_steps from
// logging_steps, greater_is_better from the metric's name, ...), applied after reading.
#pragma once

#include "hft/config/load_recipe.h"  // LoadedRecipe

namespace hft::config {

// Fills the derived values that the user left unset, marking their origin as derived.
void resolve_derived_values(LoadedRecipe& loaded);

}  // namespace hft::config
