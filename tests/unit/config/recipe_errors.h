// The messages load_recipe throws for a recipe file, for the config unit tests.
#pragma once

#include <string>
#include <vector>

#include "hft/config/config_error.h"  // ConfigErrors
#include "hft/config/load_recipe.h"   // load_recipe, Verb

namespace hft::testing {

// One message per mistake load_recipe reports for `path` with `overrides`; none when it loads.
inline std::vector<std::string> recipe_errors(const std::string& path, const std::vector<std::string>& overrides = {},
                                              config::Verb verb = config::Verb::kValidate) {
  try {
    config::load_recipe(path, overrides, verb);
  } catch (const config::ConfigErrors& e) {
    std::vector<std::string> out;
    for (const auto& error : e.errors()) out.push_back(error.message());
    return out;
  }
  return {};
}

}  // namespace hft::testing
