#include "hft/config/model_folders.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <functional>

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

// PEFT's adapter folder: adapter_config.json names the model the adapters were trained on.
struct AdapterBase {
  bool is_adapter = false;
  std::string base;  // base_model_name_or_path; empty when the file lacks it
};

AdapterBase adapter_base(const std::string& folder) {
  const fs::path file = fs::path(folder) / "adapter_config.json";
  std::error_code ec;
  if (folder.empty() || !fs::is_regular_file(file, ec)) return {};
  std::ifstream in(file);
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object() && doc.contains("base_model_name_or_path") && doc["base_model_name_or_path"].is_string())
    return {true, doc["base_model_name_or_path"].get<std::string>()};
  return {true, ""};
}

bool has_file(const std::string& folder, const char* name) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(folder) / name, ec);
}

// model_name_or_path named an adapter folder: the model is its base, and the folder's own
// config.json (the head's labels) and tokenizer files come first, as hft writes them there.
void resolve_adapter(LoadedRecipe& loaded, const std::function<std::string(const char*, const std::string&)>& resolve,
                     std::vector<ConfigError>& errors) {
  ModelArguments& model = loaded.recipe.model;
  const AdapterBase adapter = adapter_base(model.folders.model);
  if (!adapter.is_adapter) return;
  model.folders.adapter = model.folders.model;
  if (adapter.base.empty()) {
    errors.push_back(ConfigError{loaded.origin_of("model_name_or_path"), "model_name_or_path",
                                 "adapter_config.json has no base_model_name_or_path", model.folders.adapter,
                                 "an adapter folder that names its base model"});
    return;
  }
  model.folders.model = resolve("model_name_or_path", adapter.base);
  if (!model.config_name && !has_file(model.folders.adapter, "config.json")) model.folders.config = model.folders.model;
  if (!model.tokenizer_name && !has_file(model.folders.adapter, "tokenizer_config.json") &&
      !has_file(model.folders.adapter, "tokenizer.json"))
    model.folders.tokenizer = model.folders.model;
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
  resolve_adapter(loaded, resolve, errors);
  if (!model.folders.adapter.empty() && loaded.recipe.training.do_train)
    errors.push_back(ConfigError{loaded.origin_of("model_name_or_path"), "model_name_or_path",
                                 "a LoRA adapter folder cannot be trained on", model.model_name_or_path,
                                 "the base model (adapter_config.json's base_model_name_or_path), or the merged model "
                                 "that merge_adapters: true writes"});
  const Origin::Kind revision_from = loaded.origin_of("model_revision").kind;
  const bool revision_set = revision_from == Origin::Kind::kFile || revision_from == Origin::Kind::kCommandLine;
  if (revision_set && errors.empty() && !any_from_cache)
    loaded.warnings.push_back("model_revision: no effect: every model, config and tokenizer folder is a local folder, "
                              "not a hub id from the Hugging Face cache");
  return errors;
}

}  // namespace hft::config
