// `hft train|evaluate|predict RECIPE`: load and validate the recipe, then run it. Progress lines
// go to stdout; the results go to output_dir.
#include <cstdlib>
#include <iostream>
#include <vector>

#include "exit_codes.h"
#include "hft/config/config_error.h"     // ConfigErrors: an unwritable HFT_CACHE
#include "hft/config/output_paths.h"     // output_folder_problem
#include "hft/config/recipe_printer.h"   // format_recipe_yaml, recipe_params
#include "hft/log/mlflow_settings.h"     // mlflow_settings_from
#include "hft/task/task.h"               // is_prediction_file
#include "hft/train/runs.h"              // run_training, run_evaluation, run_prediction
#include "interrupt.h"                   // stop_politely_on_signal, pending_signal
#include "output_argument.h"             // check_output_argument
#include "recipe_loading.h"              // load_for
#include "verbs.h"

namespace hft::app {
namespace {

// Where tokenized splits are cached between runs: $HFT_CACHE, else ~/.cache/hft/encoded (as the
// datasets library caches under ~/.cache/huggingface). Checked before any work: an HFT_CACHE that
// cannot be written is refused; an unwritable home only turns caching off (it saves time, no more).
std::string encoded_cache_dir() {
  if (const char* dir = std::getenv("HFT_CACHE"); dir && *dir) {
    if (auto problem = config::output_folder_problem(dir))
      throw config::ConfigErrors({config::ConfigError{{config::Origin::Kind::kEnvironment, "HFT_CACHE", 0, 0}, "",
                                                      problem->problem, dir, problem->expected + " (or HFT_CACHE unset)"}});
    return dir;
  }
  const char* home = std::getenv("HOME");
  if (!home || !*home) return "";
  const std::string dir = std::string(home) + "/.cache/hft/encoded";
  if (auto problem = config::output_folder_problem(dir)) {
    std::cerr << "warning: " << dir << ": " << problem->problem << "; tokenized splits are not cached (set HFT_CACHE)\n";
    return "";
  }
  return dir;
}

train::RunHooks console_hooks() {
  train::RunHooks hooks;
  hooks.cache_dir = encoded_cache_dir();
  hooks.info = [](const std::string& line) { std::cout << line << std::endl; };
  hooks.warn = [](const std::string& line) { std::cerr << "warning: " << line << std::endl; };
  hooks.stop_requested = [] { return pending_signal() != 0; };
  return hooks;
}

// The files a prediction run is given: --output naming one of them would replace it.
std::vector<config::InputFile> files_read(const config::LoadedRecipe& loaded, const PredictRequest& request) {
  const config::DataArguments& data = loaded.recipe.data;
  std::vector<config::InputFile> files = {{"the recipe", loaded.path}};
  if (data.train_file) files.push_back({"train_file", *data.train_file});
  if (data.validation_file) files.push_back({"validation_file", *data.validation_file});
  if (data.test_file) files.push_back({request.input_path.empty() ? "test_file" : "--input", *data.test_file});
  return files;
}

int exit_code_after_run() {
  if (const int signal_number = pending_signal()) {
    std::cerr << "hft: stopped by signal " << signal_number << "\n";
    return kExitSignalBase + signal_number;
  }
  return kExitOk;
}

}  // namespace

int run_train(const RecipeRequest& request, const Failpoints& failpoints) {
  const config::LoadedRecipe loaded = load_for(request, config::Verb::kTrain);
  stop_politely_on_signal();
  train::RunHooks hooks = console_hooks();
  hooks.before_manifest = before_manifest(failpoints);
  hooks.mlflow = log::mlflow_settings_from([](const char* name) { return std::getenv(name); });
  const train::ResolvedRecipe resolved{config::format_recipe_yaml(loaded, /*annotate=*/true), config::recipe_params(loaded)};
  train::run_training(loaded.recipe, resolved, hooks);
  return exit_code_after_run();
}

int run_evaluate(const RecipeRequest& request) {
  const config::LoadedRecipe loaded = load_for(request, config::Verb::kEvaluate);
  train::run_evaluation(loaded.recipe, console_hooks());
  return kExitOk;
}

int run_predict(const PredictRequest& request) {
  if (!task::is_prediction_file(request.output_path)) {
    std::cerr << "--output: " << request.output_path << ": unsupported file type; expected a .tsv or .jsonl file\n";
    return kExitBadInput;
  }
  RecipeRequest recipe = request.recipe;
  if (!request.input_path.empty()) recipe.overrides.insert(recipe.overrides.begin(), {"--test_file", request.input_path});
  const config::LoadedRecipe loaded = load_for(recipe, config::Verb::kPredict);
  check_output_argument(request.output_path, files_read(loaded, request));
  train::run_prediction(loaded.recipe, request.output_path, console_hooks());
  return kExitOk;
}

}  // namespace hft::app
