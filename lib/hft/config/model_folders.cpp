#include "hft/config/model_folders.h"

#include <filesystem>

namespace hft::config {
namespace {

namespace fs = std::filesystem;

struct Found {
  std::string folder;    // empty: not found
  bool from_cache = false;
};

Found find_folder(const std::string& name, const std::string& revision, const std::string& cache_dir) {
  std::error_code ec;
  if (fs::exists(name, ec)) return {name, false};  // a local folder wins, as in transformers
  if (auto snapshot = find_snapshot(cache_dir, name, revision)) return {*snapshot, true};
  return {};
}

ConfigError not_found(const LoadedRecipe& loaded, const char* key, const std::string& name,
                      const std::string& revision, const std::string& cache_dir) {
  std::error_code ec;
  std::string expected = "a local folder (relative paths start at " + fs::current_path(ec).string() + ")";
  if (is_hub_id(name)) {
    const std::string download = "hf download " + name + (revision == "main" ? "" : " --revision " + revision);
    expected += ", or a hub id in the Hugging Face cache (searched " + hub_repo_dir(cache_dir, name) +
                " for revision " + revision + "; `" + download + "` fills it)";
  }
  return ConfigError{loaded.origin_of(key), key, "not found", name, expected};
}

}  // namespace

std::vector<ConfigError> resolve_model_folders(LoadedRecipe& loaded, const Getenv& getenv) {
  ModelArguments& model = loaded.recipe.model;
  if (model.model_name_or_path.empty()) return {};  // check_required says so
  const std::string cache_dir = hub_cache_dir(getenv);
  std::vector<ConfigError> errors;
  bool any_from_cache = false;
  auto resolve = [&](const char* key, const std::string& name) -> std::string {
    const Found found = find_folder(name, model.model_revision, cache_dir);
    if (found.folder.empty()) errors.push_back(not_found(loaded, key, name, model.model_revision, cache_dir));
    any_from_cache = any_from_cache || found.from_cache;
    return found.folder;
  };
  model.folders.model = resolve("model_name_or_path", model.model_name_or_path);
  model.folders.config = model.config_name ? resolve("config_name", *model.config_name) : model.folders.model;
  model.folders.tokenizer = model.tokenizer_name ? resolve("tokenizer_name", *model.tokenizer_name) : model.folders.model;
  const Origin::Kind revision_from = loaded.origin_of("model_revision").kind;
  const bool revision_set = revision_from == Origin::Kind::kFile || revision_from == Origin::Kind::kCommandLine;
  if (revision_set && errors.empty() && !any_from_cache)
    loaded.warnings.push_back("model_revision: no effect: every model, config and tokenizer folder is a local folder, "
                              "not a hub id from the Hugging Face cache");
  return errors;
}

}  // namespace hft::config
