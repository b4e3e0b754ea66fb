// Keys hft accepts for recipes written for the Trainer that change nothing here, or nothing on
// the device this run uses. Each one the user sets gets one warning line saying why, so that no
// key is read and then silently ignored.
#pragma once

#include <string>
#include <vector>

#include "hft/config/load_recipe.h"  // LoadedRecipe, Verb

namespace hft::config {

struct NoEffectKey {
  std::string key;
  std::string reason;  // why it changes nothing
  bool cpu_only;       // true: no effect on a CPU run only (it acts on a CUDA run)
};

// Every such key, in the order of recipe.h.
const std::vector<NoEffectKey>& no_effect_keys();

// "KEY: no effect: REASON" for each such key the recipe or command line sets, and for a do_train,
// do_eval or do_predict that the verb does not act on. `cpu_run`: the run is on the CPU.
std::vector<std::string> no_effect_warnings(const LoadedRecipe& loaded, Verb verb, bool cpu_run);

}  // namespace hft::config
