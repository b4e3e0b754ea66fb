// model_name_or_path, config_name and tokenizer_name -> the folders that hold the files, as
// transformers' from_pretrained finds them offline: a local path of that name wins; else a hub id
// (`bert-base-uncased`, `org/name`) at model_revision, from the local Hugging Face cache.
#pragma once

#include <vector>

#include "hft/config/config_error.h"  // ConfigError
#include "hft/config/hub_cache.h"     // Getenv
#include "hft/config/load_recipe.h"   // LoadedRecipe

namespace hft::config {

// Fills loaded.recipe.model.folders. A name found nowhere is an error naming the folders searched
// and the command that fills the cache; warns when model_revision is set but nothing came from
// the cache.
std::vector<ConfigError> resolve_model_folders(LoadedRecipe& loaded, const Getenv& getenv);

}  // namespace hft::config
