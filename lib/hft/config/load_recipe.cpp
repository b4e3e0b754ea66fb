#include "hft/config/load_recipe.h"

#include <cstdlib>
#include <set>

#include "hft/config/fields.h"            // find_field, field_names
#include "hft/config/model_folders.h"     // resolve_model_folders
#include "hft/config/overrides.h"         // parse_overrides
#include "hft/config/renamed_keys.h"      // rewrite_renamed_keys
#include "hft/config/resolve_defaults.h"  // resolve_derived_values
#include "hft/config/validate_recipe.h"   // check_cross_field_rules, check_paths
#include "hft/config/value_reading.h"     // closest_name
#include "hft/config/yaml_reader.h"       // read_recipe_file

namespace hft::config {

Origin LoadedRecipe::origin_of(const std::string& key) const {
  auto it = origins.find(key);
  return it == origins.end() ? Origin{} : it->second;
}

namespace {

ConfigError unknown_key(const RawEntry& entry) {
  std::string hint = closest_name(entry.key, field_names());
  return ConfigError{entry.key_origin, entry.key, "unknown key", "",
                     hint.empty() ? "a TrainingArguments, model or data argument that hft supports (README: Recipe keys)"
                                  : "a known key (did you mean " + hint + "?)"};
}

// Reads each entry into its field; later entries (command line) override earlier ones (file).
void apply_entries(const std::vector<RawEntry>& entries, LoadedRecipe& loaded, std::vector<ConfigError>& errors) {
  std::map<std::string, Origin> seen_here;  // duplicates within one source are mistakes
  for (const auto& entry : entries) {
    if (auto previous = seen_here.find(entry.key); previous != seen_here.end()) {
      errors.push_back({entry.key_origin, entry.key, "duplicate key", "",
                        "one value per key (first set at " + previous->second.where() + ")"});
      continue;
    }
    seen_here[entry.key] = entry.key_origin;
    const FieldSpec* spec = find_field(entry.key);
    if (!spec) {
      errors.push_back(unknown_key(entry));
      continue;
    }
    if (auto problem = spec->read(entry.value, loaded.recipe)) {
      errors.push_back({entry.value.origin, entry.key, problem->problem, entry.value.display(), problem->expected});
      continue;
    }
    loaded.origins[entry.key] = entry.key_origin;
  }
}

// `hft train` trains, `hft evaluate` evaluates, `hft predict` predicts: the verb sets the flag.
void apply_verb(Verb verb, LoadedRecipe& loaded) {
  TrainingArguments& t = loaded.recipe.training;
  const Origin from_verb{Origin::Kind::kDerived, "", 0, 0};
  auto set = [&](bool& flag, const char* key) {
    if (!flag) flag = true, loaded.origins[key] = from_verb;
  };
  if (verb == Verb::kTrain) set(t.do_train, "do_train");
  if (verb == Verb::kEvaluate) set(t.do_eval, "do_eval");
  if (verb == Verb::kPredict) set(t.do_predict, "do_predict");
}

void append(std::vector<ConfigError>& to, std::vector<ConfigError> from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

Getenv process_environment() {
  return [](const char* name) -> const char* { return std::getenv(name); };
}

LoadedRecipe load_recipe(const std::string& path, const std::vector<std::string>& overrides, Verb verb,
                         const Getenv& getenv) {
  LoadedRecipe loaded;
  loaded.path = path;
  std::vector<ConfigError> errors;

  std::vector<RawEntry> from_file = read_recipe_file(path);  // throws on malformed YAML
  std::vector<RawEntry> from_command_line = parse_overrides(overrides, errors);
  rewrite_renamed_keys(from_file, loaded.warnings, errors);
  rewrite_renamed_keys(from_command_line, loaded.warnings, errors);
  apply_entries(from_file, loaded, errors);
  apply_entries(from_command_line, loaded, errors);
  if (!errors.empty()) throw ConfigErrors(std::move(errors));  // later rules need well-typed values

  apply_verb(verb, loaded);
  resolve_derived_values(loaded);
  append(errors, check_cross_field_rules(loaded));
  append(errors, check_paths(loaded, verb));
  for (ConfigError& missing : resolve_model_folders(loaded, getenv)) {
    if (verb == Verb::kValidate) loaded.warnings.push_back(missing.message());  // validate reports, runs stop
    else errors.push_back(std::move(missing));
  }
  if (!errors.empty()) throw ConfigErrors(std::move(errors));
  return loaded;
}

}  // namespace hft::config
