// `hft train|evaluate|predict RECIPE`: load and validate the recipe, then run it. Progress lines
// go to stdout; the results go to output_dir.
#include <cstdlib>
#include <iostream>

#include "exit_codes.h"
#include "hft/config/recipe_printer.h"   // format_recipe_yaml
#include "hft/eval/prediction_output.h"  // is_prediction_file
#include "hft/train/fine_tune.h"         // run_training, run_evaluation, run_prediction
#include "interrupt.h"                   // stop_politely_on_signal, pending_signal
#include "recipe_loading.h"              // load_for
#include "verbs.h"

namespace hft::app {
namespace {

// Where tokenized splits are cached between runs: $HFT_CACHE, else ~/.cache/hft/encoded (as the
// datasets library caches under ~/.cache/huggingface).
std::string encoded_cache_dir() {
  if (const char* dir = std::getenv("HFT_CACHE"); dir && *dir) return dir;
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/hft/encoded";
  return "";
}

train::RunHooks console_hooks() {
  train::RunHooks hooks;
  hooks.cache_dir = encoded_cache_dir();
  hooks.info = [](const std::string& line) { std::cout << line << std::endl; };
  hooks.stop_requested = [] { return pending_signal() != 0; };
  return hooks;
}

int exit_code_after_run() {
  if (const int signal_number = pending_signal()) {
    std::cerr << "hft: stopped by signal " << signal_number << "\n";
    return kExitSignalBase + signal_number;
  }
  return kExitOk;
}

}  // namespace

int run_train(const RecipeRequest& request) {
  const config::LoadedRecipe loaded = load_for(request, config::Verb::kTrain);
  stop_politely_on_signal();
  train::run_training(loaded.recipe, config::format_recipe_yaml(loaded, /*annotate=*/true), console_hooks());
  return exit_code_after_run();
}

int run_evaluate(const RecipeRequest& request) {
  const config::LoadedRecipe loaded = load_for(request, config::Verb::kEvaluate);
  train::run_evaluation(loaded.recipe, console_hooks());
  return kExitOk;
}

int run_predict(const PredictRequest& request) {
  if (!eval::is_prediction_file(request.output_path)) {
    std::cerr << "--output: " << request.output_path << ": unsupported file type; expected a .tsv or .jsonl file\n";
    return kExitBadInput;
  }
  RecipeRequest recipe = request.recipe;
  if (!request.input_path.empty()) recipe.overrides.insert(recipe.overrides.begin(), {"--test_file", request.input_path});
  const config::LoadedRecipe loaded = load_for(recipe, config::Verb::kPredict);
  train::run_prediction(loaded.recipe, request.output_path, console_hooks());
  return kExitOk;
}

}  // namespace hft::app
