// The recipe as a training run records it: hft_recipe.yaml's text (in output_dir and every
// checkpoint), and each key's value as text for an experiment tracker's params.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace hft::train {

struct ResolvedRecipe {
  std::string yaml;
  std::vector<std::pair<std::string, std::string>> params;  // (key, value) in `hft validate` order
};

}  // namespace hft::train
